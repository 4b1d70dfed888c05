package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.otlp.ReceiverBehaviour;
import dev.llmotel.it.simulator.LlmSimulator;
import dev.llmotel.it.simulator.OllamaRoutes;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ollama's native API through dev.langchain4j:langchain4j-ollama 1.18.1 (java.net.http underneath: chat, streaming
 * chat, embeddings, an unknown model, an error line mid-stream) and raw java.net.http (generate streamed by Ollama's
 * default and with {@code "format": "json"}, the older {@code /api/embeddings}, a stream without its final line, a
 * stream closed after two lines). Local models have no price: no span carries a cost. The token metrics come from a
 * second agent run with metrics exported over OTLP.
 */
class LangChain4jOllamaAppTest extends AppContractTest {
  static final String APP = "langchain4j-ollama";
  static final String CHAT = "chat " + OllamaRoutes.CHAT_MODEL;
  static final String GENERATE = "text_completion " + OllamaRoutes.CHAT_MODEL;

  @Override
  String app() { return APP; }

  @Override
  String providerName() { return "ollama"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of(CHAT, 2L, "embeddings " + OllamaRoutes.EMBED_MODEL, 1L, "chat llama9", 1L,
        "chat " + OllamaRoutes.ERROR_MID_STREAM_MODEL, 1L, GENERATE, 2L,
        "embeddings " + OllamaRoutes.LEGACY_EMBED_MODEL, 1L, "chat " + OllamaRoutes.TRUNCATED_MODEL, 1L,
        "chat " + OllamaRoutes.LONG_MODEL, 1L);
  }

  /** The scripted answer: the model as asked, {@code stop}, the scripted token counts, no id (Ollama has none). */
  static void assertAnswered(ReceivedSpan s, String operation) {
    assertAll(s.toString(),
        () -> assertEquals(operation, s.attr("gen_ai.operation.name")),
        () -> assertEquals(OllamaRoutes.CHAT_MODEL, s.attr("gen_ai.response.model")),
        () -> assertEquals(List.of("stop"), s.attr("gen_ai.response.finish_reasons")),
        () -> assertEquals(OllamaRoutes.PROMPT_TOKENS, s.attr(INPUT_TOKENS)),
        () -> assertEquals(OllamaRoutes.EVAL_TOKENS, s.attr(OUTPUT_TOKENS)),
        () -> assertFalse(s.has(CACHE_READ), "Ollama reports no cached tokens"),
        () -> assertFalse(s.has("gen_ai.response.id"), "Ollama's responses have no id"),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertFalse(s.has(ERROR_TYPE), "error.type on a successful call"),
        () -> assertFalse(s.statusCode() == Status.StatusCode.STATUS_CODE_ERROR, "status ERROR on a successful call"));
  }

  /** A stream that failed: streamed, its outcome, two lines as chunks, the error type, status ERROR, no usage. */
  static void assertFailedStream(ReceivedSpan s, String outcome, String errorType) {
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals(outcome, s.attr(OUTCOME)),
        () -> assertEquals((long) OllamaRoutes.LINES_BEFORE_THE_END, s.attr(CHUNKS)),
        () -> assertEquals(errorType, s.attr(ERROR_TYPE)),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertTimeToFirstChunk(s, 0),
        () -> assertFalse(s.has(INPUT_TOKENS), "usage on a stream without its final line"));
  }

  /** OllamaChatModel with every option LangChain4j maps (it sends {@code "stream": false}). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chatModel(Jdk jdk) {
    ReceivedSpan s = run(jdk).single(CHAT + ", not streamed", named(CHAT).and(streamed().negate()));
    assertAnswered(s, "chat");
    assertNotStreamed(s);
    assertAll(s.toString(),
        () -> assertEquals(0.2, s.attr("gen_ai.request.temperature")),
        () -> assertEquals(0.9, s.attr("gen_ai.request.top_p")),
        () -> assertEquals(40.0, s.attr("gen_ai.request.top_k")),
        () -> assertEquals(42L, s.attr("gen_ai.request.seed")),
        () -> assertEquals(128L, s.attr("gen_ai.request.max_tokens")),
        () -> assertEquals(List.of("\n\n"), s.attr("gen_ai.request.stop_sequences")));
  }

  /** OllamaStreamingChatModel: three content lines and the final line, which ends the call. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamingChatModel(Jdk jdk) {
    ReceivedSpan s = run(jdk).single(CHAT + ", streamed", named(CHAT).and(streamed()));
    assertAnswered(s, "chat");
    assertCompletedStream(s, OllamaRoutes.PIECES.size() + 1);
    assertEquals(0.7, s.attr("gen_ai.request.temperature"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void embeddingModel(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("embeddings", named("embeddings " + OllamaRoutes.EMBED_MODEL));
    assertAll(s.toString(),
        () -> assertEquals("embeddings", s.attr("gen_ai.operation.name")),
        () -> assertEquals(OllamaRoutes.EMBED_MODEL, s.attr("gen_ai.response.model")),
        () -> assertEquals((long) OllamaRoutes.EMBED_DIMENSIONS, s.attr("gen_ai.embeddings.dimension.count")),
        () -> assertEquals(OllamaRoutes.EMBED_PROMPT_TOKENS, s.attr(INPUT_TOKENS)),
        () -> assertFalse(s.has(OUTPUT_TOKENS)),
        () -> assertFalse(s.has(STREAM)),
        () -> assertFalse(s.has(ERROR_TYPE)));
  }

  /** Ollama's 404 {@code {"error": "model 'llama9' not found"}}: the status is the error type. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void unknownModel(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat llama9", named("chat llama9"));
    assertHttpError(s, 404, "404");
    assertAll(s.toString(),
        () -> assertEquals("model 'llama9' not found", s.span().getStatus().getMessage()),
        () -> assertFalse(s.has("gen_ai.response.model")),
        () -> assertNotStreamed(s));
  }

  /** Two lines, then {@code {"error": ...}} and the end of the body: LangChain4j's onError, a failed span. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void errorLineMidStream(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("error mid-stream", named("chat " + OllamaRoutes.ERROR_MID_STREAM_MODEL));
    assertFailedStream(s, "truncated", "stream_error");
    assertEquals(OllamaRoutes.STREAM_ERROR, s.span().getStatus().getMessage());
  }

  /** Generate without {@code stream}: Ollama streams, every line paced, so the first chunk comes after a gap. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void generateStreamedByDefault(Jdk jdk) {
    ReceivedSpan s = run(jdk).single(GENERATE + ", streamed", named(GENERATE).and(streamed()));
    assertAnswered(s, "text_completion");
    assertAll(s.toString(),
        () -> assertEquals("completed", s.attr(OUTCOME)),
        () -> assertEquals((long) OllamaRoutes.PIECES.size() + 1, s.attr(CHUNKS)),
        () -> assertTimeToFirstChunk(s, LlmSimulator.SLOW_GAP_MILLIS / 1000.0),
        () -> assertTrue(s.durationSeconds() >= (OllamaRoutes.PIECES.size() + 1) * LlmSimulator.SLOW_GAP_MILLIS
            / 1000.0, "the span lasts until the final line: " + s.durationSeconds() + " s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void generateInJsonMode(Jdk jdk) {
    ReceivedSpan s = run(jdk).single(GENERATE + ", json", named(GENERATE).and(streamed().negate()));
    assertAnswered(s, "text_completion");
    assertNotStreamed(s);
    assertEquals("json", s.attr("gen_ai.output.type"));
  }

  /** The older route answers only {@code {"embedding": [...]}}: dimensions, nothing invented. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void legacyEmbeddingsRoute(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("legacy embeddings", named("embeddings " + OllamaRoutes.LEGACY_EMBED_MODEL));
    assertAll(s.toString(),
        () -> assertEquals("embeddings", s.attr("gen_ai.operation.name")),
        () -> assertEquals((long) OllamaRoutes.LEGACY_EMBED_DIMENSIONS, s.attr("gen_ai.embeddings.dimension.count")),
        () -> assertFalse(s.has(INPUT_TOKENS)),
        () -> assertFalse(s.has("gen_ai.response.model")),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertFalse(s.has(ERROR_TYPE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamWithoutItsFinalLine(Jdk jdk) {
    assertFailedStream(run(jdk).single("truncated", named("chat " + OllamaRoutes.TRUNCATED_MODEL)), "truncated",
        "stream_truncated");
  }

  /** The app reads two of twenty-one lines (150 ms apart) and closes the stream. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamClosedEarly(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("abandoned", named("chat " + OllamaRoutes.LONG_MODEL));
    long total = LlmSimulator.LONG_STREAM_PIECES + 1;
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals("abandoned", s.attr(OUTCOME)),
        () -> {
          Object chunks = s.attr(CHUNKS);
          assertInstanceOf(Long.class, chunks, "llmotel.stream.chunks");
          assertTrue((Long) chunks >= 2 && (Long) chunks < total,
              "the app read 2 of " + total + " lines before closing; span says " + chunks);
        },
        () -> assertFalse(s.has(ERROR_TYPE)),
        () -> assertTrue(s.durationSeconds() < total * LlmSimulator.SLOW_GAP_MILLIS / 1000.0 / 2,
            "the span ends when the app closes the stream: " + s.durationSeconds() + " s"));
  }

  /** Local models have no price: the bundled table knows none of them. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void noCostForLocalModels(Jdk jdk) {
    for (ReceivedSpan s : run(jdk).llmSpans()) assertFalse(s.has("gen_ai.usage.cost"), "cost on " + s);
  }

  /** The agent run with metrics over OTLP (every 250 ms), shared by the metric tests of one JDK. */
  private static TelemetryRun withMetrics(Jdk jdk) {
    String name = APP + ", metrics every 250 ms";
    return TelemetryRun.cached(name, jdk, () -> {
      OtlpReceiver otlp = TelemetryScenarios.start(ReceiverBehaviour.plainOtlp());
      return TelemetryScenario.app(name, jdk, APP).receiver(otlp)
          .env(AgentJvm.agentEnvironment(otlp.endpoint(), "it-" + APP))
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_METRIC_EXPORT_INTERVAL", "250")
          .expectSpans(10, "otlp")
          .run();
    });
  }

  /**
   * Token usage per operation, model and type: chat and generate twice each ({@value OllamaRoutes#PROMPT_TOKENS} in,
   * {@value OllamaRoutes#EVAL_TOKENS} out per call), embed once; the failed calls and the legacy route report none.
   * Every point names provider ollama; no cost is recorded.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void tokenUsageMetrics(Jdk jdk) {
    TelemetryRun run = withMetrics(jdk);
    assertEquals(0, run.jvm().exitCode(), run.describe());
    List<HistogramPoint> points = run.receiver("otlp").histogramSeries(MetricsExportTest.TOKEN_USAGE);
    Map<String, HistogramPoint> byKey = new TreeMap<>();
    for (HistogramPoint p : points) {
      byKey.put(p.attr("gen_ai.operation.name") + " " + p.attr("gen_ai.request.model") + "/"
          + p.attr("gen_ai.token.type"), p);
    }
    assertEquals(List.of("chat llama3.2/input", "chat llama3.2/output", "embeddings all-minilm/input",
        "text_completion llama3.2/input", "text_completion llama3.2/output"), List.copyOf(byKey.keySet()),
        "token series\n" + points);
    for (String operation : List.of("chat", "text_completion")) {
      HistogramPoint input = byKey.get(operation + " llama3.2/input");
      HistogramPoint output = byKey.get(operation + " llama3.2/output");
      assertAll(operation + " " + points,
          () -> assertEquals(2, input.count()),
          () -> assertEquals(2.0 * OllamaRoutes.PROMPT_TOKENS, input.sum()),
          () -> assertEquals(2, output.count()),
          () -> assertEquals(2.0 * OllamaRoutes.EVAL_TOKENS, output.sum()),
          () -> assertEquals(OllamaRoutes.CHAT_MODEL, input.attr("gen_ai.response.model")));
    }
    HistogramPoint embed = byKey.get("embeddings all-minilm/input");
    assertEquals(1, embed.count());
    assertEquals((double) OllamaRoutes.EMBED_PROMPT_TOKENS, embed.sum());
    for (HistogramPoint p : points) assertEquals("ollama", p.attr("gen_ai.provider.name"), p.toString());
    assertEquals(List.of(), run.receiver("otlp").histogramSeries(MetricsExportTest.COST), "no price, no cost");
  }
}
