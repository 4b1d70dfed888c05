package dev.llmotel.telemetry;

import dev.llmotel.cost.CostBreakdown;
import dev.llmotel.cost.CostCalculator;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * Everything that happens to a finished call's facts: its cost from the price table, the span, the metrics. Metrics
 * and cost are optional (null when switched off or unavailable). Reads the facts, never writes them.
 */
public final class InferenceTelemetry {
  private final InferenceSpans spans;
  private final InferenceMetrics metrics;
  private final CostCalculator cost;

  public InferenceTelemetry(InferenceSpans spans, InferenceMetrics metrics, CostCalculator cost) {
    this.spans = spans;
    this.metrics = metrics;
    this.cost = cost;
  }

  /** See {@link InferenceSpans#begin}: on the application's thread, when the request leaves. */
  public InferenceSpans.Begun begin(ExchangeRequest request, CallFacts facts, long startEpochNanos) {
    return spans.begin(request, facts, startEpochNanos);
  }

  /**
   * Prices the call, records its span and its metrics, for a call that ended at {@code endNanoTime} (possibly
   * processed a little later, off the application's thread).
   *
   * @param startNanoTime {@link System#nanoTime()} at the call's start
   * @param endNanoTime {@link System#nanoTime()} at the call's end
   * @return the finished call, as local listeners are told of it
   */
  public CallRecord finish(InferenceSpans.Begun begun, ExchangeRequest request, CallFacts facts, long startNanoTime,
      long endNanoTime) {
    CallRecord call = price(request, facts, startNanoTime, endNanoTime);
    record(begun, call, 0, true);
    return call;
  }

  /** The finished call with its cost, nothing recorded yet. */
  CallRecord price(ExchangeRequest request, CallFacts facts, long startNanoTime, long endNanoTime) {
    Double usd = facts.response.reportedCostUsd;
    CostBreakdown details = null;
    if (cost != null && InferenceSpans.isGenAi(facts)) {
      try {
        usd = cost.cost(facts);
        details = cost.breakdown(facts);
      } catch (Throwable ignored) {
        // no cost is better than a wrong one
      }
    }
    return new CallRecord(facts, request.host(), request.port(), startNanoTime, endNanoTime, usd, details);
  }

  /**
   * Records a priced call's span and metrics.
   *
   * @param resendCount its number after the first attempt of a logical call (0: the first or only)
   * @param withDuration false when the duration is the logical call's ({@link #endLogical})
   */
  void record(InferenceSpans.Begun begun, CallRecord call, int resendCount, boolean withDuration) {
    spans.record(begun, call, resendCount);
    // a plain client span (an RPC) is no GenAI operation: none of the GenAI metrics
    if (metrics != null && InferenceSpans.isGenAi(call.facts())) metrics.record(call, withDuration);
  }

  /** See {@link InferenceSpans#startLogical}. */
  io.opentelemetry.api.trace.Span startLogical(InferenceSpans.Begun begun, CallFacts last, String serverAddress,
      int serverPort, int attempts) {
    return spans.startLogical(begun, last, serverAddress, serverPort, attempts);
  }

  /**
   * Ends a logical call's span and records its duration, with the attributes of its final attempt and the span's
   * {@code error.type}.
   */
  void endLogical(io.opentelemetry.api.trace.Span span, InferenceSpans.Begun begun, CallFacts last,
      String serverAddress, int serverPort, long durationNanos, String errorType, String errorMessage) {
    spans.endLogical(span, errorType, errorMessage, begun.startEpochNanos + durationNanos);
    if (metrics != null) metrics.recordDuration(last, serverAddress, serverPort, durationNanos, errorType);
  }
}
