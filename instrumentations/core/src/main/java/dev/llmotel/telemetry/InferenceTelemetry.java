package dev.llmotel.telemetry;

import dev.llmotel.cost.CostCalculator;
import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.exchange.ExchangeRequest;
import io.opentelemetry.api.trace.Span;

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

  public Span start(ExchangeRequest request, GenAiFacts facts) {
    return spans.start(request, facts, 0);
  }

  /** @param startEpochNanos the span's start since the epoch, or 0 for now */
  public Span start(ExchangeRequest request, GenAiFacts facts, long startEpochNanos) {
    return spans.start(request, facts, startEpochNanos);
  }

  /** Prices the call, ends its span now and records its metrics. */
  public void finish(Span span, ExchangeRequest request, GenAiFacts facts, long startNanoTime) {
    finish(span, request, facts, startNanoTime, 0, System.nanoTime());
  }

  /**
   * Prices the call, ends its span and records its metrics, for a call that ended at {@code endNanoTime} (possibly
   * processed a little later, off the application's thread).
   *
   * @param startNanoTime {@link System#nanoTime()} at the call's start
   * @param startEpochNanos the same instant since the epoch (the span's start), or 0 if the span started "now"
   * @param endNanoTime {@link System#nanoTime()} at the call's end
   */
  public void finish(Span span, ExchangeRequest request, GenAiFacts facts, long startNanoTime, long startEpochNanos,
      long endNanoTime) {
    if (cost != null) {
      try {
        cost.apply(facts);
      } catch (Throwable ignored) {
        // no cost is better than a wrong one
      }
    }
    spans.end(span, facts, startNanoTime, startEpochNanos == 0 ? 0 : startEpochNanos + (endNanoTime - startNanoTime));
    if (metrics != null) {
      metrics.record(facts, request.host(), request.port(), endNanoTime - startNanoTime, startNanoTime);
    }
  }
}
