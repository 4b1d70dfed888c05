package dev.llmotel.it.otlp;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;

/**
 * One metric decoded from an OTLP metrics export, with the resource and instrumentation scope it came under and the
 * number of the export request it arrived in (1 for the first metrics request the receiver got).
 */
public record ReceivedMetric(Resource resource, InstrumentationScope scope, Metric metric, int exportNumber) {

  public String name() { return metric.getName(); }

  public String unit() { return metric.getUnit(); }

  public String description() { return metric.getDescription(); }

  /** What kind of data the metric carries: HISTOGRAM, SUM, GAUGE, ... */
  public Metric.DataCase type() { return metric.getDataCase(); }

  public String scopeName() { return scope.getName(); }

  public Object resourceAttr(String key) { return ReceivedSpan.toMap(resource.getAttributesList()).get(key); }

  /** The explicit-bucket histogram points of this report (empty when the metric is no such histogram). */
  public List<HistogramPoint> histogramPoints() {
    if (!metric.hasHistogram()) return List.of();
    return metric.getHistogram().getDataPointsList().stream()
        .map(p -> HistogramPoint.of(name(), p, metric.getHistogram().getAggregationTemporality())).toList();
  }

  @Override
  public String toString() {
    return name() + " [" + unit() + ", " + type() + ", export #" + exportNumber + "] " + histogramPoints();
  }
}
