package dev.llmotel.telemetry;

import dev.llmotel.cost.CostBreakdown;
import dev.llmotel.dialect.CallFacts;

/**
 * One finished LLM call, as spans, metrics and local listeners read it: the facts the dialect and the neutral rules
 * wrote, the timings the exchange measured, and the cost telemetry derived (never written back into the facts).
 */
public final class CallRecord {
  private final CallFacts facts;
  private final String serverAddress;
  private final int serverPort;
  private final long startNanoTime;
  private final long durationNanos;
  private final Double costUsd;
  private final CostBreakdown costDetails;

  /**
   * @param startNanoTime {@link System#nanoTime()} at the call's start
   * @param endNanoTime {@link System#nanoTime()} at the call's end
   * @param costUsd the call's cost, or null when unknown
   */
  public CallRecord(CallFacts facts, String serverAddress, int serverPort, long startNanoTime, long endNanoTime,
      Double costUsd) {
    this(facts, serverAddress, serverPort, startNanoTime, endNanoTime, costUsd, null);
  }

  /** @param costDetails the cost per kind of token when the price table priced the call, else null */
  public CallRecord(CallFacts facts, String serverAddress, int serverPort, long startNanoTime, long endNanoTime,
      Double costUsd, CostBreakdown costDetails) {
    this.costDetails = costDetails;
    this.facts = facts;
    this.serverAddress = serverAddress;
    this.serverPort = serverPort;
    this.startNanoTime = startNanoTime;
    this.durationNanos = endNanoTime - startNanoTime;
    this.costUsd = costUsd;
  }

  public CallFacts facts() { return facts; }
  public String serverAddress() { return serverAddress; }
  public int serverPort() { return serverPort; }
  public long startNanoTime() { return startNanoTime; }
  public long durationNanos() { return durationNanos; }
  /** USD, or null when unknown. */
  public Double costUsd() { return costUsd; }
  /** The cost per kind of token when the price table priced the call (not a proxy's reported total), else null. */
  public CostBreakdown costDetails() { return costDetails; }

  /** Time from request start to the first streamed chunk; -1 when the call did not stream or no chunk came. */
  public long timeToFirstChunkNanos() {
    return facts.stream.timeToFirstChunkNanos(startNanoTime);
  }

  /** The model to report: the response's when known, else the request's. */
  public String model() {
    String model = facts.model();
    return model != null ? model : "unknown";
  }
}
