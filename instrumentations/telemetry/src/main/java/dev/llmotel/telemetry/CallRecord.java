package dev.llmotel.telemetry;

import dev.llmotel.dialect.GenAiFacts;

/** One finished LLM call as local listeners see it: the dialect's facts plus the timings the exchange measured. */
public final class CallRecord {
  private final GenAiFacts facts;
  private final String serverAddress;
  private final long durationNanos;
  private final long timeToFirstChunkNanos;

  public CallRecord(GenAiFacts facts, String serverAddress, long durationNanos, long timeToFirstChunkNanos) {
    this.facts = facts;
    this.serverAddress = serverAddress;
    this.durationNanos = durationNanos;
    this.timeToFirstChunkNanos = timeToFirstChunkNanos;
  }

  public GenAiFacts facts() { return facts; }
  public String serverAddress() { return serverAddress; }
  public long durationNanos() { return durationNanos; }
  /** Time from request start to the first streamed chunk; -1 when the call did not stream or no chunk came. */
  public long timeToFirstChunkNanos() { return timeToFirstChunkNanos; }

  /** The model to report: the response's when known, else the request's. */
  public String model() {
    return facts.responseModel != null ? facts.responseModel
        : facts.requestModel != null ? facts.requestModel : "unknown";
  }
}
