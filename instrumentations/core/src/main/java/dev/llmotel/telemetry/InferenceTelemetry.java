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
    return spans.start(request, facts);
  }

  /** Prices the call, ends its span and records its metrics. */
  public void finish(Span span, ExchangeRequest request, GenAiFacts facts, long startNanoTime) {
    if (cost != null) {
      try {
        cost.apply(facts);
      } catch (Throwable ignored) {
        // no cost is better than a wrong one
      }
    }
    spans.end(span, facts, startNanoTime);
    if (metrics != null) {
      metrics.record(facts, request.host(), request.port(), System.nanoTime() - startNanoTime, startNanoTime);
    }
  }
}
