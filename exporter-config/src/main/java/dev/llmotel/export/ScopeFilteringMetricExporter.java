package dev.llmotel.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Exports only the agent's own metrics (instrumentation scope {@code llm-otel-agent}): the SDK's bookkeeping
 * instruments (span processor queue sizes, exporter counters) stay out of the backend.
 */
final class ScopeFilteringMetricExporter implements MetricExporter {
  static final String AGENT_SCOPE = "llm-otel-agent";

  private final MetricExporter delegate;

  ScopeFilteringMetricExporter(MetricExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    List<MetricData> ours = new ArrayList<>(metrics.size());
    for (MetricData m : metrics) {
      if (AGENT_SCOPE.equals(m.getInstrumentationScopeInfo().getName())) ours.add(m);
    }
    return ours.isEmpty() ? CompletableResultCode.ofSuccess() : delegate.export(ours);
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
