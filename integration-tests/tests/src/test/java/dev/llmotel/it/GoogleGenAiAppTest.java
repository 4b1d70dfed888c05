package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.assertExactly;

import static dev.llmotel.it.LlmSpanAssertions.TTFC;
import static dev.llmotel.it.LlmSpanAssertions.named;
import static dev.llmotel.it.LlmSpanAssertions.streamed;
import static dev.llmotel.it.simulator.GeminiRoutes.CACHED_TOKENS;
import static dev.llmotel.it.simulator.GeminiRoutes.CANDIDATES_TOKENS;
import static dev.llmotel.it.simulator.GeminiRoutes.EMBEDDING_MODEL;
import static dev.llmotel.it.simulator.GeminiRoutes.MODEL;
import static dev.llmotel.it.simulator.GeminiRoutes.PROMPT_TOKENS;
import static dev.llmotel.it.simulator.GeminiRoutes.RESPONSE_ID;
import static dev.llmotel.it.simulator.GeminiRoutes.THOUGHTS_TOKENS;
import static dev.llmotel.it.simulator.GeminiRoutes.VERTEX_MODEL;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.GeminiRoutes;
import dev.llmotel.it.simulator.LlmSimulator;
import dev.llmotel.it.simulator.RecordedRequest;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * com.google.genai:google-genai 2.3.0 (OkHttp underneath) against the simulator's Gemini routes: generate content,
 * a stream, embeddings, a 429 and a truncated stream on the Developer API ({@code gcp.gemini}), and generate content
 * through Vertex AI ({@code gcp.vertex_ai}; the SDK takes a fixed access token, no Google credentials). Each span is
 * checked attribute by attribute (the whole set, times aside); a second run with metrics and content capture on
 * checks token, duration, chunk-timing and cost metrics and the captured messages.
 */
class GoogleGenAiAppTest extends AppContractTest {
  /** Output as the conventions count it: the candidates' tokens and the thoughts' (Gemini bills both as output). */
  static final long OUTPUT_TOKENS = CANDIDATES_TOKENS + THOUGHTS_TOKENS;
  /**
   * The bundled price of {@code gemini/gemini-2.5-flash} (model-prices.tsv: input 3e-07, output 2.5e-06, cache read
   * 3e-08 USD per token) applied to the simulator's usage (the cached tokens are part of the prompt's).
   */
  static final double DEVELOPER_USD = (PROMPT_TOKENS - CACHED_TOKENS) * 3e-07 + CACHED_TOKENS * 3e-08
      + OUTPUT_TOKENS * 2.5e-06;
  /**
   * Vertex AI's {@code gemini-2.0-flash-001}: no {@code vertex_ai/} row, so the unprefixed one (input 1.5e-07, output
   * 6e-07, cache read 3.75e-08).
   */
  static final double VERTEX_USD = (PROMPT_TOKENS - CACHED_TOKENS) * 1.5e-07 + CACHED_TOKENS * 3.75e-08
      + OUTPUT_TOKENS * 6e-07;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  String app() { return "google-genai"; }

  /** The app is compiled for Java 8: every test here also runs it on a JDK 8 where one is installed. */
  static List<Jdk> jdks() { return Java8Apps.jdks(); }

  @Test
  void java8Run() throws Exception {
    Java8Apps.assumeJava8Run(app());
  }

  @Override
  String providerName() { return "gcp.gemini"; }

  @Override
  String providerName(ReceivedSpan span) {
    return VERTEX_MODEL.equals(span.attr("gen_ai.request.model")) ? "gcp.vertex_ai" : providerName();
  }

  /** Gemini names the model in the path, not the body. */
  @Override
  String requestModel(RecordedRequest request) { return GeminiRoutes.model(request.path()); }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("generate_content " + MODEL, 2L, "embeddings " + EMBEDDING_MODEL, 1L,
        "generate_content sim-429", 1L, "generate_content sim-truncated", 1L, "generate_content " + VERTEX_MODEL, 1L);
  }

  /** The attributes every generate_content call of the app has. */
  private Map<String, Object> common(Jdk jdk, String provider, String model) {
    Map<String, Object> a = new TreeMap<>();
    a.put("gen_ai.operation.name", "generate_content");
    a.put("gen_ai.provider.name", provider);
    a.put("gen_ai.request.model", model);
    a.put("gen_ai.request.max_tokens", 256L);
    a.put("gen_ai.request.temperature", 0.2);
    a.put("server.address", "127.0.0.1");
    a.put("server.port", (long) run(jdk).simulatorPort());
    return a;
  }

  /** The simulator's answer: id, model version, stop, the full usage. */
  private static void answer(Map<String, Object> a, String model) {
    a.put("gen_ai.response.id", RESPONSE_ID);
    a.put("gen_ai.response.model", model);
    a.put("gen_ai.response.finish_reasons", List.of("stop"));
    a.put("gen_ai.usage.input_tokens", PROMPT_TOKENS);
    a.put("gen_ai.usage.cache_read.input_tokens", CACHED_TOKENS);
    a.put("gen_ai.usage.output_tokens", OUTPUT_TOKENS);
    a.put("gen_ai.usage.reasoning.output_tokens", THOUGHTS_TOKENS);
    a.put("http.response.status_code", 200L);
  }

  private static void stream(Map<String, Object> a, String outcome, long chunks) {
    a.put("gen_ai.request.stream", true);
    a.put("llmotel.stream.outcome", outcome);
    a.put("llmotel.stream.chunks", chunks);
  }


  private static void assertStatus(ReceivedSpan s, Status.StatusCode code, String message) {
    assertEquals(code, s.statusCode(), s.toString());
    if (message != null) assertEquals(message, s.span().getStatus().getMessage(), s.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void generateContent(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("generate", named("generate_content " + MODEL).and(streamed().negate()));
    Map<String, Object> a = common(jdk, "gcp.gemini", MODEL);
    answer(a, MODEL);
    assertExactly(s, a, DEVELOPER_USD);
    assertStatus(s, Status.StatusCode.STATUS_CODE_UNSET, null);
  }

  /** No end marker: the stream read to its end after a chunk with a finish reason is complete. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamedContent(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("stream", named("generate_content " + MODEL).and(streamed()));
    Map<String, Object> a = common(jdk, "gcp.gemini", MODEL);
    answer(a, MODEL);
    stream(a, "completed", GeminiRoutes.PIECES.size() + 1);
    assertExactly(s, a, DEVELOPER_USD);
    assertStatus(s, Status.StatusCode.STATUS_CODE_UNSET, null);
  }

  /** The SDK's embedContent of two texts goes to batchEmbedContents; Gemini reports no usage for it. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void embeddings(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("embed", named("embeddings " + EMBEDDING_MODEL));
    Map<String, Object> a = new TreeMap<>();
    a.put("gen_ai.operation.name", "embeddings");
    a.put("gen_ai.provider.name", "gcp.gemini");
    a.put("gen_ai.request.model", EMBEDDING_MODEL);
    a.put("gen_ai.embeddings.dimension.count", (long) GeminiRoutes.EMBEDDING_DIMENSIONS);
    a.put("http.response.status_code", 200L);
    a.put("server.address", "127.0.0.1");
    a.put("server.port", (long) run(jdk).simulatorPort());
    assertExactly(s, a, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void rateLimited(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("429", named("generate_content sim-429"));
    Map<String, Object> a = common(jdk, "gcp.gemini", "sim-429");
    a.put("http.response.status_code", 429L);
    a.put("error.type", "RESOURCE_EXHAUSTED");
    assertExactly(s, a, null);
    assertStatus(s, Status.StatusCode.STATUS_CODE_ERROR, GeminiRoutes.QUOTA_MESSAGE);
  }

  /** Two chunks, no finish reason, then the body ends: truncated, with the prompt count the chunks gave. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void truncatedStream(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("sim-truncated", named("generate_content sim-truncated"));
    Map<String, Object> a = common(jdk, "gcp.gemini", "sim-truncated");
    a.put("gen_ai.response.id", RESPONSE_ID);
    a.put("gen_ai.response.model", "sim-truncated");
    a.put("gen_ai.usage.input_tokens", PROMPT_TOKENS);
    a.put("http.response.status_code", 200L);
    a.put("error.type", "stream_truncated");
    stream(a, "truncated", LlmSimulator.TRUNCATED_PIECES.size());
    assertExactly(s, a, null);
    assertStatus(s, Status.StatusCode.STATUS_CODE_ERROR, null);
  }

  /** Through Vertex AI's path ({@code /v1beta1/projects/.../publishers/google/models/...}) on the simulator's host. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void vertexAiGenerateContent(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("vertex", named("generate_content " + VERTEX_MODEL));
    Map<String, Object> a = common(jdk, "gcp.vertex_ai", VERTEX_MODEL);
    answer(a, VERTEX_MODEL);
    assertExactly(s, a, VERTEX_USD);
  }

  // The run with metrics and content capture on

  private static TelemetryRun telemetry(Jdk jdk) {
    return TelemetryScenarios.googleGenAiWithMetricsAndContent(jdk);
  }

  /** Token usage per request model: the Developer API's two answers, Vertex AI's one, the truncated stream's prompt. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void tokenUsageMetrics(Jdk jdk) {
    TelemetryRun run = telemetry(jdk);
    List<HistogramPoint> points = run.receiver("otlp").histogramSeries(MetricsExportTest.TOKEN_USAGE);
    Map<String, String> sums = TelemetryRun.tokenSums(run.receiver("otlp"), TelemetryRun::modelAndTokenType);
    assertEquals(Map.of(
        MODEL + "/input", "2 calls, " + 2 * PROMPT_TOKENS + " tokens",
        MODEL + "/output", "2 calls, " + 2 * OUTPUT_TOKENS + " tokens",
        VERTEX_MODEL + "/input", "1 calls, " + PROMPT_TOKENS + " tokens",
        VERTEX_MODEL + "/output", "1 calls, " + OUTPUT_TOKENS + " tokens",
        "sim-truncated/input", "1 calls, " + PROMPT_TOKENS + " tokens"), sums, points + "\n" + run.describe());
    for (HistogramPoint p : points) {
      assertEquals(VERTEX_MODEL.equals(p.attr("gen_ai.request.model")) ? "gcp.vertex_ai" : "gcp.gemini",
          p.attr("gen_ai.provider.name"), p.toString());
    }
  }

  /** One duration series per request model, time to first chunk for the two streams, cost for the priced models. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void durationChunkTimingAndCostMetrics(Jdk jdk) {
    TelemetryRun run = telemetry(jdk);
    List<HistogramPoint> durations = run.receiver("otlp").histogramSeries(MetricsExportTest.DURATION);
    List<HistogramPoint> ttfc = run.receiver("otlp").histogramSeries(MetricsExportTest.TTFC);
    List<HistogramPoint> cost = run.receiver("otlp").histogramSeries(MetricsExportTest.COST);
    assertAll(run.describe(),
        () -> assertEquals(Set.of(MODEL, EMBEDDING_MODEL, "sim-429", "sim-truncated", VERTEX_MODEL),
            Set.copyOf(durations.stream().map(p -> p.attr("gen_ai.request.model")).toList()), durations.toString()),
        () -> assertEquals(2, MetricsExportTest.only(durations, MODEL).count()),
        () -> assertEquals("RESOURCE_EXHAUSTED", MetricsExportTest.only(durations, "sim-429").attr("error.type")),
        () -> assertEquals("stream_truncated", MetricsExportTest.only(durations, "sim-truncated").attr("error.type")),
        () -> assertEquals(2, ttfc.stream().mapToLong(HistogramPoint::count).sum(), "streams: " + ttfc),
        () -> assertEquals(1, MetricsExportTest.only(ttfc, MODEL).count(), "the gemini stream: " + ttfc),
        () -> assertEquals(2, cost.size(), "only the known models are priced: " + cost),
        () -> assertEquals(2, MetricsExportTest.only(cost, MODEL).count()),
        () -> assertEquals(2 * DEVELOPER_USD, MetricsExportTest.only(cost, MODEL).sum(), 1e-12),
        () -> assertEquals(VERTEX_USD, MetricsExportTest.only(cost, VERTEX_MODEL).sum(), 1e-12));
  }

  /** With capture on: the user's text in, the candidate out (whole, and assembled from the stream's chunks). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void capturedMessagesInTheConventionsShapes(Jdk jdk) throws Exception {
    TelemetryRun run = telemetry(jdk);
    List<ReceivedSpan> spans = run.llmSpans("otlp");
    ReceivedSpan plain = spans.stream().filter(named("generate_content " + MODEL).and(streamed().negate()))
        .findFirst().orElseThrow();
    ReceivedSpan stream = spans.stream().filter(named("generate_content " + MODEL).and(streamed()))
        .findFirst().orElseThrow();
    String output = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"" + GeminiRoutes.ANSWER
        + "\"}],\"finish_reason\":\"stop\"}]";
    assertAll(run.describe(),
        () -> assertJson("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Say hello.\"}]}]",
            plain.attr(ContentCaptureTest.INPUT)),
        () -> assertJson(output, plain.attr(ContentCaptureTest.OUTPUT)),
        () -> assertJson(output, stream.attr(ContentCaptureTest.OUTPUT)));
  }

  private static void assertJson(String expected, Object actual) throws Exception {
    assertEquals(JSON.readTree(expected), JSON.readTree(String.valueOf(actual)), String.valueOf(actual));
  }
}
