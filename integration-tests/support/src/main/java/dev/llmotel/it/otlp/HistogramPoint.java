package dev.llmotel.it.otlp;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One explicit-bucket histogram data point of a received metric, with plain Java values: its attributes (as in
 * {@link ReceivedSpan#attributes()}), count, sum, min/max (null when absent), bucket counts and boundaries, and the
 * temporality it was reported with.
 */
public record HistogramPoint(String metricName, Map<String, Object> attributes, long count, Double sum, Double min,
    Double max, List<Long> bucketCounts, List<Double> explicitBounds, long startTimeUnixNano, long timeUnixNano,
    AggregationTemporality temporality) {

  static HistogramPoint of(String metricName, HistogramDataPoint p, AggregationTemporality temporality) {
    return new HistogramPoint(metricName, ReceivedSpan.toMap(p.getAttributesList()), p.getCount(),
        p.hasSum() ? p.getSum() : null, p.hasMin() ? p.getMin() : null, p.hasMax() ? p.getMax() : null,
        List.copyOf(p.getBucketCountsList()), List.copyOf(p.getExplicitBoundsList()), p.getStartTimeUnixNano(),
        p.getTimeUnixNano(), temporality);
  }

  /** The attribute's value, or null when the point has no such attribute. */
  public Object attr(String key) { return attributes.get(key); }

  public boolean has(String key) { return attributes.containsKey(key); }

  /**
   * This point followed by a later report of the same series: the later one for cumulative temporality (it already
   * contains this one), the sum of both for delta.
   */
  HistogramPoint then(HistogramPoint later) {
    if (temporality != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
      return later.timeUnixNano >= timeUnixNano ? later : this;
    }
    List<Long> buckets = new ArrayList<>(bucketCounts);
    for (int i = 0; i < later.bucketCounts.size(); i++) {
      if (i < buckets.size()) buckets.set(i, buckets.get(i) + later.bucketCounts.get(i));
      else buckets.add(later.bucketCounts.get(i));
    }
    return new HistogramPoint(metricName, attributes, count + later.count,
        sum == null || later.sum == null ? null : sum + later.sum,
        min == null ? later.min : later.min == null ? min : Math.min(min, later.min),
        max == null ? later.max : later.max == null ? max : Math.max(max, later.max),
        List.copyOf(buckets), later.explicitBounds, Math.min(startTimeUnixNano, later.startTimeUnixNano),
        Math.max(timeUnixNano, later.timeUnixNano), temporality);
  }

  @Override
  public String toString() {
    return metricName + " " + attributes + " count=" + count + " sum=" + sum + " min=" + min + " max=" + max
        + " buckets=" + bucketCounts + " (" + temporality + ")";
  }
}
