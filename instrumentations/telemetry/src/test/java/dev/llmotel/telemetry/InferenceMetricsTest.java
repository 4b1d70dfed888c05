package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InferenceMetricsTest {
  @Test
  void recordsSemconvHistogramsWithExactNamesUnitsBucketsAndValues() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    InferenceMetrics metrics = new InferenceMetrics(provider.get("test"));

    CallFacts f = new CallFacts();
    f.request.operationName = "chat";
    f.request.providerName = "openai";
    f.request.model = "gpt-4o-mini";
    f.response.model = "gpt-4o-mini-2024-07-18";
    f.usage.inputTokens = 11;
    f.usage.outputTokens = 7;
    f.stream.streamed = true;
    long start = 1_000_000_000L;
    f.stream.firstChunkNanos = start + 200_000_000L;
    f.stream.lastChunkNanos = start + 500_000_000L;
    f.stream.chunkCount = 4;
    metrics.record(new CallRecord(f, "api.openai.com", 443, start, start + 750_000_000L, 0.001));

    Collection<MetricData> data = reader.collectAllMetrics();
    MetricData tokens = find(data, "gen_ai.client.token.usage");
    assertEquals("{token}", tokens.getUnit());
    HistogramPointData input = tokens.getHistogramData().getPoints().stream()
        .filter(p -> "input".equals(p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type"))))
        .findFirst().orElseThrow();
    assertEquals(11.0, input.getSum());
    assertEquals(InferenceMetrics.TOKEN_BUCKETS.stream().map(Long::doubleValue).collect(Collectors.toList()),
        input.getBoundaries());
    assertEquals("gpt-4o-mini-2024-07-18", input.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")));
    assertEquals(443L, input.getAttributes().get(AttributeKey.longKey("server.port")));

    MetricData duration = find(data, "gen_ai.client.operation.duration");
    assertEquals("s", duration.getUnit());
    HistogramPointData d = duration.getHistogramData().getPoints().iterator().next();
    assertEquals(0.75, d.getSum(), 1e-9);
    assertEquals(InferenceMetrics.DURATION_BUCKETS, d.getBoundaries());

    assertEquals(0.2, sum(find(data, "gen_ai.client.operation.time_to_first_chunk")), 1e-9);
    assertEquals(0.1, sum(find(data, "gen_ai.client.operation.time_per_output_chunk")), 1e-9);
    MetricData cost = find(data, "gen_ai.usage.cost");
    assertEquals("USD", cost.getUnit());
    assertEquals(0.001, sum(cost), 1e-12);
  }

  @Test
  void errorsCarryErrorTypeAndNoStreamMetricsForPlainCalls() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    InferenceMetrics metrics = new InferenceMetrics(SdkMeterProvider.builder().registerMetricReader(reader).build()
        .get("test"));
    CallFacts f = new CallFacts();
    f.request.operationName = "chat";
    f.response.errorType = "rate_limit_exceeded";
    metrics.record(new CallRecord(f, "api.openai.com", 443, 0, 10_000_000L, null));
    Collection<MetricData> data = reader.collectAllMetrics();
    assertEquals("rate_limit_exceeded", find(data, "gen_ai.client.operation.duration").getHistogramData().getPoints()
        .iterator().next().getAttributes().get(AttributeKey.stringKey("error.type")));
    assertTrue(data.stream().noneMatch(m -> m.getName().contains("chunk") || m.getName().equals("gen_ai.usage.cost")
        || m.getName().equals("gen_ai.client.token.usage")));
  }

  private static double sum(MetricData m) {
    return m.getHistogramData().getPoints().iterator().next().getSum();
  }

  private static MetricData find(Collection<MetricData> data, String name) {
    return data.stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }
}
