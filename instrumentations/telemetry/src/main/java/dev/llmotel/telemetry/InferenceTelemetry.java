package dev.llmotel.telemetry;

import dev.llmotel.cost.CostCalculator;
import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * Everything that happens to a finished call's facts: cost from the price table, the span, the metrics. Metrics and
 * cost are optional (null when switched off or unavailable).
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
  public InferenceSpans.Begun begin(ExchangeRequest request, GenAiFacts facts, long startEpochNanos) {
    return spans.begin(request, facts, startEpochNanos);
  }

  /**
   * Prices the call, records its span and its metrics, for a call that ended at {@code endNanoTime} (possibly
   * processed a little later, off the application's thread).
   *
   * @param startNanoTime {@link System#nanoTime()} at the call's start
   * @param endNanoTime {@link System#nanoTime()} at the call's end
   */
  public void finish(InferenceSpans.Begun begun, ExchangeRequest request, GenAiFacts facts, long startNanoTime,
      long endNanoTime) {
    if (cost != null) {
      try {
        cost.apply(facts);
      } catch (Throwable ignored) {
        // no cost is better than a wrong one
      }
    }
    spans.record(begun, request, facts, startNanoTime, endNanoTime);
    if (metrics != null) {
      metrics.record(facts, request.host(), request.port(), endNanoTime - startNanoTime, startNanoTime);
    }
  }
}
