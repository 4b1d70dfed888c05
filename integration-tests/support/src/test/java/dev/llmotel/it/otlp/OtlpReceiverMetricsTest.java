package dev.llmotel.it.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The receiver decodes histograms the real SDK exporter sends, and merges several exports into one state. */
class OtlpReceiverMetricsTest {
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void decodesAndMergesHistogramExports(boolean delta) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
          .setEndpoint(receiver.endpoint() + "/v1/metrics")
          .setAggregationTemporalitySelector(delta ? AggregationTemporalitySelector.deltaPreferred()
              : AggregationTemporalitySelector.alwaysCumulative())
          .build();
      PeriodicMetricReader reader = PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build();
      SdkMeterProvider provider = SdkMeterProvider.builder()
          .setResource(Resource.getDefault().toBuilder().put("service.name", "receiver-test").build())
          .registerMetricReader(reader).build();
      LongHistogram tokens = provider.get("test-scope").histogramBuilder("gen_ai.client.token.usage").ofLongs()
          .setUnit("{token}").setExplicitBucketBoundariesAdvice(List.of(1L, 4L, 16L)).build();
      Attributes input = Attributes.builder().put("gen_ai.token.type", "input").build();
      Attributes output = Attributes.builder().put("gen_ai.token.type", "output").build();
      tokens.record(11, input);
      tokens.record(7, output);
      reader.forceFlush().join(10, TimeUnit.SECONDS);
      tokens.record(11, input);
      tokens.record(2, input);
      provider.shutdown().join(10, TimeUnit.SECONDS);

      assertEquals(2, receiver.metricRequests());
      List<ReceivedMetric> reports = receiver.metricsNamed("gen_ai.client.token.usage");
      assertEquals(2, reports.size(), reports.toString());
      ReceivedMetric first = reports.get(0);
      assertEquals("{token}", first.unit());
      assertEquals(Metric.DataCase.HISTOGRAM, first.type());
      assertEquals("test-scope", first.scopeName());
      assertEquals("receiver-test", first.resourceAttr("service.name"));
      assertEquals(1, first.exportNumber());
      assertEquals(2, reports.get(1).exportNumber());

      Map<Object, HistogramPoint> byType = new java.util.HashMap<>();
      for (HistogramPoint p : receiver.histogramSeries("gen_ai.client.token.usage")) {
        byType.put(p.attr("gen_ai.token.type"), p);
      }
      assertEquals(2, byType.size(), byType.toString());
      HistogramPoint in = byType.get("input");
      assertEquals(3, in.count(), in.toString());
      assertEquals(24.0, in.sum());
      assertEquals(2.0, in.min());
      assertEquals(11.0, in.max());
      assertEquals(List.of(1.0, 4.0, 16.0), in.explicitBounds());
      assertEquals(List.of(0L, 1L, 2L, 0L), in.bucketCounts());
      assertEquals(delta ? AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
          : AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, in.temporality());
      HistogramPoint out = byType.get("output");
      assertEquals(1, out.count(), out.toString());
      assertEquals(7.0, out.sum());
      assertEquals(List.of(), receiver.problems());
      assertTrue(receiver.requests().stream().allMatch(r -> r.status() == 200 && r.isMetrics()),
          receiver.requests().toString());
    }
  }

  @Test
  void nothingReceivedNothingReported() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      assertEquals(List.of(), receiver.histogramSeries("gen_ai.client.token.usage"));
      assertEquals(List.of(), receiver.metrics());
      assertEquals(0, receiver.metricRequests());
    }
  }
}
