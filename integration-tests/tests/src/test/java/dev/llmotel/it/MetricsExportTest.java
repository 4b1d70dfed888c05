package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedMetric;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import dev.llmotel.it.simulator.OpenAiPayloads;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GenAI client metrics as the OTLP receiver decodes them from a real app run (openai-java: chat, two streams,
 * embeddings, 429, 500, truncated, slow and abandoned streams): exact names, units and bucket boundaries, one series
 * per attribute set with the counts and sums the spans of the same run imply, time-to-first-chunk only for streams,
 * the export interval honoured; and no metrics request at all with {@code OTEL_METRICS_EXPORTER=none}.
 */
class MetricsExportTest {
  static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  static final String DURATION = "gen_ai.client.operation.duration";
  static final String TTFC = "gen_ai.client.operation.time_to_first_chunk";
  static final String TIME_PER_CHUNK = "gen_ai.client.operation.time_per_output_chunk";
  static final String COST = "gen_ai.usage.cost";

  static final List<Double> DURATION_BOUNDS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
      10.24, 20.48, 40.96, 81.92);
  static final List<Double> TOKEN_BOUNDS = LongStream.iterate(1, b -> b <= 67108864L, b -> b * 4)
      .mapToDouble(b -> b).boxed().toList();

  /** The attributes a metric point carries, taken from the span of the same call. */
  static final List<String> POINT_ATTRIBUTES = List.of("gen_ai.operation.name", "gen_ai.provider.name",
      "gen_ai.request.model", "gen_ai.response.model", "server.address", "server.port", "error.type");

  static List<Jdk> jdks() { return Jdk.all(); }

  private static TelemetryRun run(Jdk jdk) { return TelemetryScenarios.openAiJavaWithMetricsAndContent(jdk); }

  static final Set<String> GENAI_METRICS = Set.of(TOKEN_USAGE, DURATION, TTFC, TIME_PER_CHUNK, COST);

  /** The agent's own metrics (scope {@code llm-otel-agent}): names, units, histogram type and bucket boundaries. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void exactNamesUnitsAndBucketBoundaries(Jdk jdk) {
    TelemetryRun run = run(jdk);
    OtlpReceiver otlp = run.receiver("otlp");
    assertEquals(0, run.jvm().exitCode(), run.describe());
    List<ReceivedMetric> agentMetrics = otlp.metrics().stream().filter(m -> m.scopeName().equals("llm-otel-agent"))
        .toList();
    assertEquals(GENAI_METRICS, agentMetrics.stream().map(ReceivedMetric::name).collect(Collectors.toSet()),
        "metric names of scope llm-otel-agent\n" + otlp.metrics());
    Map<String, String> units = Map.of(TOKEN_USAGE, "{token}", DURATION, "s", TTFC, "s", TIME_PER_CHUNK, "s",
        COST, "USD");
    for (ReceivedMetric m : agentMetrics) {
      assertAll(m.toString(),
          () -> assertEquals(units.get(m.name()), m.unit(), "unit"),
          () -> assertEquals(io.opentelemetry.proto.metrics.v1.Metric.DataCase.HISTOGRAM, m.type()),
          () -> assertEquals("it-openai-java", m.resourceAttr("service.name")),
          () -> assertFalse(m.description().isEmpty(), "description"));
      for (HistogramPoint p : m.histogramPoints()) {
        List<Double> expected = switch (m.name()) {
          case TOKEN_USAGE -> TOKEN_BOUNDS;
          case COST -> List.of(0.00001, 0.0001, 0.001, 0.01, 0.1, 1.0, 10.0, 100.0);
          default -> DURATION_BOUNDS;
        };
        assertEquals(expected, p.explicitBounds(), "bucket boundaries of " + p);
        assertEquals(expected.size() + 1, p.bucketCounts().size(), "bucket counts of " + p);
        assertEquals(p.count(), p.bucketCounts().stream().mapToLong(Long::longValue).sum(), "buckets add up: " + p);
      }
    }
    assertEquals(14, TOKEN_BOUNDS.size());
  }

  /**
   * What reaches the user's metrics backend is the GenAI metrics, not the SDK's own bookkeeping (batch queue size,
   * exporter counters), which would show up there as streams nobody asked for.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void onlyTheGenAiMetricsAreExported(Jdk jdk) {
    OtlpReceiver otlp = run(jdk).receiver("otlp");
    Map<String, String> scopeByName = new TreeMap<>();
    for (ReceivedMetric m : otlp.metrics()) scopeByName.put(m.name(), m.scopeName());
    assertEquals(GENAI_METRICS, otlp.metricNames(), "exported metric names (name=scope: " + scopeByName + ")");
  }

  /** One duration point per attribute set, counting exactly the spans with those attributes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void durationSeriesMatchTheSpans(Jdk jdk) {
    TelemetryRun run = run(jdk);
    List<ReceivedSpan> spans = run.llmSpans("otlp");
    assertEquals(TelemetryScenarios.OPENAI_JAVA_SPANS, spans.size(), run.describe());
    Map<Map<String, Object>, List<ReceivedSpan>> bySeries = spans.stream()
        .collect(Collectors.groupingBy(MetricsExportTest::pointAttributes, LinkedHashMap::new, Collectors.toList()));
    List<HistogramPoint> points = run.receiver("otlp").histogramSeries(DURATION);
    assertEquals(bySeries.keySet(), points.stream().map(HistogramPoint::attributes).collect(Collectors.toSet()),
        "duration series vs spans\n" + points + "\n" + run.describe());
    assertEquals(7, points.size(), "series: gpt-4o-mini (3 calls), embeddings, 429, 500, truncated, slow, abandoned");
    for (HistogramPoint p : points) {
      List<ReceivedSpan> calls = bySeries.get(p.attributes());
      double spanSeconds = calls.stream().mapToDouble(ReceivedSpan::durationSeconds).sum();
      assertAll(p.toString(),
          () -> assertEquals(calls.size(), p.count(), "one point per call"),
          () -> assertNotNull(p.sum()),
          () -> assertEquals(spanSeconds, p.sum(), 0.02 * calls.size(), "duration sum vs the spans' durations"),
          () -> assertEquals("openai", p.attr("gen_ai.provider.name")),
          () -> assertEquals("127.0.0.1", p.attr("server.address")),
          () -> assertEquals((long) run.simulatorPort(), p.attr("server.port")));
    }
    HistogramPoint slow = only(points, "sim-slow");
    assertTrue(slow.sum() >= 6 * LlmSimulator.SLOW_GAP_MILLIS / 1000.0, "sim-slow lasts 6 gaps: " + slow);
    HistogramPoint chat = only(points, "gpt-4o-mini");
    assertEquals(3, chat.count(), chat.toString());
    assertEquals(OpenAiPayloads.CHAT_RESPONSE_MODEL, chat.attr("gen_ai.response.model"));
    assertEquals("chat", chat.attr("gen_ai.operation.name"));
    assertEquals("embeddings", only(points, OpenAiPayloads.EMBEDDING_MODEL).attr("gen_ai.operation.name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void errorTypeOnTheFailedCallsPoints(Jdk jdk) {
    List<HistogramPoint> points = run(jdk).receiver("otlp").histogramSeries(DURATION);
    HistogramPoint rateLimited = only(points, "sim-429");
    HistogramPoint serverError = only(points, "sim-500");
    HistogramPoint truncated = only(points, "sim-truncated");
    assertAll(points.toString(),
        () -> assertEquals("rate_limit_exceeded", rateLimited.attr("error.type")),
        () -> assertEquals(1, rateLimited.count()),
        () -> assertFalse(rateLimited.has("gen_ai.response.model"), "no response model on a 429"),
        () -> assertEquals("server_error", serverError.attr("error.type")),
        () -> assertEquals("stream_truncated", truncated.attr("error.type")),
        () -> assertFalse(only(points, "gpt-4o-mini").has("error.type"), "error.type on successful calls"));
    List<HistogramPoint> errorTokens = run(jdk).receiver("otlp").histogramSeries(TOKEN_USAGE).stream()
        .filter(p -> p.has("error.type")).toList();
    assertEquals(List.of(), errorTokens, "the failed calls carry no usage, so no token points");
  }

  /** Input 11 and output 7 per chat call with usage; embeddings 5 input tokens and no output point. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void tokenUsageSumsAndCounts(Jdk jdk) {
    TelemetryRun run = run(jdk);
    List<HistogramPoint> points = run.receiver("otlp").histogramSeries(TOKEN_USAGE);
    Map<String, HistogramPoint> byKey = new TreeMap<>();
    for (HistogramPoint p : points) byKey.put(p.attr("gen_ai.request.model") + "/" + p.attr("gen_ai.token.type"), p);
    assertEquals(Set.of("gpt-4o-mini/input", "gpt-4o-mini/output", "text-embedding-3-small/input"), byKey.keySet(),
        "token series\n" + points);
    HistogramPoint input = byKey.get("gpt-4o-mini/input");
    HistogramPoint output = byKey.get("gpt-4o-mini/output");
    HistogramPoint embeddings = byKey.get("text-embedding-3-small/input");
    // the chat call and the stream with include_usage report usage; the stream without it does not
    assertAll(points.toString(),
        () -> assertEquals(2, input.count()),
        () -> assertEquals(2.0 * OpenAiPayloads.PROMPT_TOKENS, input.sum()),
        () -> assertEquals((double) OpenAiPayloads.PROMPT_TOKENS, input.min()),
        () -> assertEquals((double) OpenAiPayloads.PROMPT_TOKENS, input.max()),
        () -> assertEquals(bucketsWith(TOKEN_BOUNDS, 2, 2), input.bucketCounts(), "11 is in (4, 16]"),
        () -> assertEquals(2, output.count()),
        () -> assertEquals(2.0 * OpenAiPayloads.COMPLETION_TOKENS, output.sum()),
        () -> assertEquals(bucketsWith(TOKEN_BOUNDS, 2, 2), output.bucketCounts(), "7 is in (4, 16]"),
        () -> assertEquals(1, embeddings.count()),
        () -> assertEquals((double) OpenAiPayloads.EMBEDDING_PROMPT_TOKENS, embeddings.sum()),
        () -> assertEquals(bucketsWith(TOKEN_BOUNDS, 2, 1), embeddings.bucketCounts(), "5 is in (4, 16]"),
        () -> assertEquals(OpenAiPayloads.CHAT_RESPONSE_MODEL, input.attr("gen_ai.response.model")),
        () -> assertEquals("chat", input.attr("gen_ai.operation.name")));
    long spanInput = run.llmSpans("otlp").stream().filter(s -> s.has(LlmSpanAssertions.INPUT_TOKENS))
        .mapToLong(s -> (Long) s.attr(LlmSpanAssertions.INPUT_TOKENS)).sum();
    assertEquals((double) spanInput, points.stream().filter(p -> "input".equals(p.attr("gen_ai.token.type")))
        .mapToDouble(HistogramPoint::sum).sum(), "input tokens in metrics vs spans");
  }

  /** Time to first chunk and per output chunk: one point per streamed call, none for the others. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chunkTimingsOnlyForStreams(Jdk jdk) {
    TelemetryRun run = run(jdk);
    OtlpReceiver otlp = run.receiver("otlp");
    List<ReceivedSpan> streams = run.llmSpans("otlp").stream().filter(LlmSpanAssertions.streamed()).toList();
    assertEquals(5, streams.size(), "two gpt-4o-mini streams, truncated, slow, abandoned\n" + run.describe());
    List<HistogramPoint> ttfc = otlp.histogramSeries(TTFC);
    assertEquals(streams.size(), ttfc.stream().mapToLong(HistogramPoint::count).sum(), "TTFC points\n" + ttfc);
    Set<Object> streamedModels = streams.stream().map(s -> s.attr("gen_ai.request.model")).collect(Collectors.toSet());
    for (HistogramPoint p : ttfc) {
      assertTrue(streamedModels.contains(p.attr("gen_ai.request.model")), "TTFC for a call never streamed: " + p);
      assertTrue(p.min() >= 0, p.toString());
    }
    assertEquals(2, only(ttfc, "gpt-4o-mini").count(), "the non-streamed gpt-4o-mini chat has no TTFC");
    HistogramPoint slow = only(ttfc, "sim-slow");
    double slowSpanTtfc = (Double) streams.stream().filter(s -> "sim-slow".equals(s.attr("gen_ai.request.model")))
        .findFirst().orElseThrow().attr(LlmSpanAssertions.TTFC);
    assertAll(slow.toString(),
        () -> assertTrue(slow.sum() >= LlmSimulator.SLOW_GAP_MILLIS / 1000.0, "first chunk after one gap"),
        () -> assertEquals(slowSpanTtfc, slow.sum(), 0.005, "metric vs span time to first chunk"));
    assertFalse(ttfc.stream().anyMatch(p -> OpenAiPayloads.EMBEDDING_MODEL.equals(p.attr("gen_ai.request.model"))
        || "sim-429".equals(p.attr("gen_ai.request.model"))), ttfc.toString());

    List<HistogramPoint> perChunk = otlp.histogramSeries(TIME_PER_CHUNK);
    assertFalse(perChunk.isEmpty(), "no time per output chunk");
    for (HistogramPoint p : perChunk) {
      assertTrue(streamedModels.contains(p.attr("gen_ai.request.model")), "per-chunk time for a non-stream: " + p);
    }
    HistogramPoint slowGaps = only(perChunk, "sim-slow");
    assertEquals(1, slowGaps.count());
    assertEquals(LlmSimulator.SLOW_GAP_MILLIS / 1000.0, slowGaps.sum(), 0.1, "chunks 150 ms apart: " + slowGaps);
  }

  /** Cost points where the spans have a cost: the same sums, nothing for unknown models or missing usage. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void costPointsMatchTheSpans(Jdk jdk) {
    TelemetryRun run = run(jdk);
    List<HistogramPoint> cost = run.receiver("otlp").histogramSeries(COST);
    Map<Map<String, Object>, Double> spanCost = run.llmSpans("otlp").stream()
        .filter(s -> s.has(COST))
        .collect(Collectors.groupingBy(MetricsExportTest::pointAttributes,
            Collectors.summingDouble(s -> (Double) s.attr(COST))));
    assertEquals(spanCost.keySet(), cost.stream().map(HistogramPoint::attributes).collect(Collectors.toSet()),
        cost + "\n" + run.describe());
    for (HistogramPoint p : cost) assertEquals(spanCost.get(p.attributes()), p.sum(), 1e-12, p.toString());
    assertEquals(2, only(cost, "gpt-4o-mini").count(), "chat and the stream with usage");
    assertEquals(2 * CostOnSpansTest.GPT_4O_MINI_CALL_USD, only(cost, "gpt-4o-mini").sum(), 1e-12);
    assertTrue(cost.stream().noneMatch(p -> "sim-slow".equals(p.attr("gen_ai.request.model"))), cost.toString());
  }

  /** {@code OTEL_METRIC_EXPORT_INTERVAL=250}: a run of a few seconds exports periodically, not only at exit. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void exportIntervalIsHonoured(Jdk jdk) {
    TelemetryRun run = run(jdk);
    OtlpReceiver otlp = run.receiver("otlp");
    assertTrue(otlp.metricRequests() >= 2, otlp.metricRequests() + " metrics requests in "
        + run.jvm().elapsed().toMillis() + " ms\n" + otlp.requests());
    assertEquals(List.of(), otlp.problems());
    assertTrue(otlp.requests().stream().allMatch(r -> r.status() == 200), otlp.requests().toString());
  }

  /** The default interval (60 s) leaves only the flush at exit: one metrics request to each taker of metrics. */
  @Test
  void defaultIntervalExportsOnceAtExit() {
    TelemetryRun run = TelemetryScenarios.okHttpToThreeBackends(Jdk.current());
    assertAll(run.describe(),
        () -> assertEquals(1, run.receiver("otlp").metricRequests(), "plain OTLP"),
        () -> assertEquals(1, run.receiver("openobserve").metricRequests(), "OpenObserve"));
  }

  @Test
  void metricsExporterNoneSendsNoMetricsRequestAnywhere() {
    TelemetryRun run = TelemetryScenarios.okHttpWithOwnPricesAndMetricsOff(Jdk.current());
    assertAll(run.describe(),
        () -> assertEquals(0, run.jvm().exitCode()),
        () -> assertEquals(TelemetryScenarios.OKHTTP_SPANS, run.llmSpans("otlp").size(), "spans still exported"),
        () -> assertEquals(TelemetryScenarios.OKHTTP_SPANS, run.llmSpans("openobserve").size()),
        () -> assertEquals(0, run.receiver("otlp").metricRequests(), "plain OTLP got metrics"),
        () -> assertEquals(0, run.receiver("openobserve").metricRequests(), "OpenObserve got metrics"),
        () -> assertTrue(run.receiver("otlp").requests().stream().noneMatch(r -> r.path().contains("metrics"))));
  }

  static Map<String, Object> pointAttributes(ReceivedSpan s) {
    Map<String, Object> a = new TreeMap<>();
    for (String key : POINT_ATTRIBUTES) if (s.has(key)) a.put(key, s.attr(key));
    return a;
  }

  /** The one point of a request model (fails listing all points otherwise). */
  static HistogramPoint only(List<HistogramPoint> points, String requestModel) {
    List<HistogramPoint> found = points.stream().filter(p -> requestModel.equals(p.attr("gen_ai.request.model")))
        .toList();
    assertEquals(1, found.size(), "points for " + requestModel + " in " + points);
    return found.get(0);
  }

  /** Bucket counts with {@code count} in bucket {@code index} and 0 elsewhere. */
  static List<Long> bucketsWith(List<Double> bounds, int index, long count) {
    Long[] counts = new Long[bounds.size() + 1];
    java.util.Arrays.fill(counts, 0L);
    counts[index] = count;
    return List.of(counts);
  }
}
