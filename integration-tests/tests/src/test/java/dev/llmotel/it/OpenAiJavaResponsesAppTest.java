package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static dev.llmotel.it.simulator.OpenAiResponsesPayloads.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.otlp.ReceiverBehaviour;
import dev.llmotel.it.simulator.LlmSimulator;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * com.openai:openai-java 4.101.0, Responses API ({@code client.responses().create} / {@code createStreaming}, OkHttp
 * underneath) against the simulator's {@code POST /v1/responses}: text, stream, function call (plain and streamed),
 * incomplete, {@code response.failed}, an {@code error} event, 429, truncated and abandoned streams. Each span is
 * checked attribute by attribute; a second run with metrics and content capture on checks the token metrics, the
 * cost of the priced model and the content JSON.
 */
class OpenAiJavaResponsesAppTest extends AppContractTest {
  static final String API_TYPE = "openai.api.type";
  static final String FINISH = "gen_ai.response.finish_reasons";
  static final String COST = "gen_ai.usage.cost";
  static final int SPANS = 10;

  /**
   * The bundled table's {@code gpt-4o-mini-2024-07-18} prices (input 1.5e-07, output 6e-07, cache read 7.5e-08 USD
   * per token) applied to the simulator's usage: text 11 in (3 cached) / 7 out; function call 57 / 16; incomplete
   * 11 (3 cached) / 4.
   */
  static final double TEXT_USD = (TEXT_INPUT_TOKENS - TEXT_CACHED_TOKENS) * 1.5e-07 + TEXT_CACHED_TOKENS * 7.5e-08
      + TEXT_OUTPUT_TOKENS * 6e-07;
  static final double TOOL_USD = TOOL_INPUT_TOKENS * 1.5e-07 + TOOL_OUTPUT_TOKENS * 6e-07;
  static final double INCOMPLETE_USD = (TEXT_INPUT_TOKENS - TEXT_CACHED_TOKENS) * 1.5e-07 + TEXT_CACHED_TOKENS * 7.5e-08
      + 4 * 6e-07;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  String app() { return "openai-java-responses"; }

  /** The app is compiled for Java 8: every test here also runs it on a JDK 8 where one is installed. */
  static List<Jdk> jdks() { return Java8Apps.jdks(); }

  @Test
  void java8Run() throws Exception {
    Java8Apps.assumeJava8Run(app());
  }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat gpt-4o-mini", 5L, "chat sim-failed", 1L, "chat sim-stream-error", 1L, "chat sim-429", 1L,
        "chat sim-truncated", 1L, "chat sim-long", 1L);
  }

  static Predicate<ReceivedSpan> finishing(String reason) { return s -> List.of(reason).equals(s.attr(FINISH)); }

  private ReceivedSpan gpt4oMini(Jdk jdk, boolean streamed, String finishReason) {
    Predicate<ReceivedSpan> stream = streamed();
    return run(jdk).single("chat gpt-4o-mini, " + (streamed ? "" : "not ") + "streamed, finishing " + finishReason,
        named("chat gpt-4o-mini").and(streamed ? stream : stream.negate()).and(finishing(finishReason)));
  }

  /** A call the simulator answered with a whole response: id, dated model, the Responses API type, HTTP 200. */
  private static void assertAnswered(ReceivedSpan s, String id) {
    assertAll(s.toString(),
        () -> assertEquals(id, s.attr("gen_ai.response.id")),
        () -> assertEquals(RESPONSE_MODEL, s.attr("gen_ai.response.model")),
        () -> assertEquals("responses", s.attr(API_TYPE)),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertFalse(s.has(ERROR_TYPE), "error.type on a successful call"),
        () -> assertFalse(s.statusCode() == Status.StatusCode.STATUS_CODE_ERROR));
  }

  private static void assertUsage(ReceivedSpan s, long input, long cached, long output, long reasoning) {
    assertAll(s.toString(),
        () -> assertEquals(input, s.attr(INPUT_TOKENS)),
        () -> assertEquals(cached, s.attr(CACHE_READ)),
        () -> assertEquals(output, s.attr(OUTPUT_TOKENS)),
        () -> assertEquals(reasoning, s.attr(REASONING)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void textResponse(Jdk jdk) {
    ReceivedSpan s = gpt4oMini(jdk, false, "stop");
    assertAnswered(s, responseId("text"));
    assertUsage(s, TEXT_INPUT_TOKENS, TEXT_CACHED_TOKENS, TEXT_OUTPUT_TOKENS, TEXT_REASONING_TOKENS);
    assertNotStreamed(s);
  }

  /** Time to first chunk is the time to the first output delta (each comes after a pause), not to response.created. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamedText(Jdk jdk) {
    ReceivedSpan s = gpt4oMini(jdk, true, "stop");
    assertAnswered(s, responseId("stream"));
    assertUsage(s, TEXT_INPUT_TOKENS, TEXT_CACHED_TOKENS, TEXT_OUTPUT_TOKENS, TEXT_REASONING_TOKENS);
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals("completed", s.attr(OUTCOME)),
        () -> assertEquals((long) TEXT_PIECES.size(), s.attr(CHUNKS)),
        () -> assertTimeToFirstChunk(s, LlmSimulator.SLOW_GAP_MILLIS / 1000.0),
        () -> assertTrue(s.durationSeconds() >= TEXT_PIECES.size() * LlmSimulator.SLOW_GAP_MILLIS / 1000.0,
            "the span lasts until response.completed: " + s.durationSeconds() + " s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void functionCall(Jdk jdk) {
    ReceivedSpan s = gpt4oMini(jdk, false, "tool_call");
    assertAnswered(s, responseId("tool"));
    assertUsage(s, TOOL_INPUT_TOKENS, 0, TOOL_OUTPUT_TOKENS, 0);
    assertNotStreamed(s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamedFunctionCall(Jdk jdk) {
    ReceivedSpan s = gpt4oMini(jdk, true, "tool_call");
    assertAnswered(s, responseId("stream_tool"));
    assertUsage(s, TOOL_INPUT_TOKENS, 0, TOOL_OUTPUT_TOKENS, 0);
    assertCompletedStream(s, TOOL_ARGUMENT_PIECES.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void incompleteAtMaxOutputTokens(Jdk jdk) {
    ReceivedSpan s = gpt4oMini(jdk, false, "max_output_tokens");
    assertAnswered(s, responseId("incomplete"));
    assertUsage(s, TEXT_INPUT_TOKENS, TEXT_CACHED_TOKENS, 4, 0);
    assertEquals(4L, s.attr("gen_ai.request.max_tokens"), s.toString());
    assertNotStreamed(s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamEndingInResponseFailed(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-failed", named("chat sim-failed"));
    assertAll(s.toString(),
        () -> assertEquals(FAILED_CODE, s.attr(ERROR_TYPE)),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()),
        () -> assertEquals(FAILED_MESSAGE, s.span().getStatus().getMessage()),
        () -> assertEquals(List.of("error"), s.attr(FINISH)),
        () -> assertEquals(responseId("failed"), s.attr("gen_ai.response.id")),
        () -> assertEquals(FAILED_MODEL, s.attr("gen_ai.response.model")),
        () -> assertEquals("completed", s.attr(OUTCOME), "response.failed is the protocol's end"),
        () -> assertEquals(1L, s.attr(CHUNKS)),
        () -> assertTimeToFirstChunk(s, 0),
        () -> assertFalse(s.has(INPUT_TOKENS), "no usage in the failed response"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamWithAnErrorEvent(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-stream-error", named("chat sim-stream-error"));
    assertAll(s.toString(),
        () -> assertEquals(STREAM_ERROR_CODE, s.attr(ERROR_TYPE)),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()),
        () -> assertEquals(STREAM_ERROR_MESSAGE, s.span().getStatus().getMessage()),
        () -> assertEquals("truncated", s.attr(OUTCOME), "an error event is no end: the body ended without one"),
        () -> assertEquals(1L, s.attr(CHUNKS)),
        () -> assertFalse(s.has(FINISH)),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void rateLimited(Jdk jdk) {
    assertHttpError(run(jdk).single("chat sim-429", named("chat sim-429")), 429, "rate_limit_exceeded");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void truncatedStream(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-truncated", named("chat sim-truncated"));
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals("truncated", s.attr(OUTCOME)),
        () -> assertEquals("stream_truncated", s.attr(ERROR_TYPE)),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertEquals(responseId("truncated"), s.attr("gen_ai.response.id"), "known from response.created"),
        () -> assertEquals((long) LlmSimulator.TRUNCATED_PIECES.size(), s.attr(CHUNKS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void abandonedStream(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-long", named("chat sim-long"));
    long total = LlmSimulator.LONG_STREAM_PIECES;
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals("abandoned", s.attr(OUTCOME)),
        () -> assertFalse(s.has(ERROR_TYPE)),
        () -> {
          Object chunks = s.attr(CHUNKS);
          assertInstanceOf(Long.class, chunks, "llmotel.stream.chunks");
          assertTrue((Long) chunks >= 2 && (Long) chunks < total,
              "the app read 2 of " + total + " deltas before closing; span says " + chunks);
        },
        () -> assertTrue(s.durationSeconds() < total * LlmSimulator.SLOW_GAP_MILLIS / 1000.0 / 2,
            "the span must end when the app closes the stream: " + s.durationSeconds() + " s"));
  }

  // The second run: metrics exported, content captured.

  static TelemetryRun withMetricsAndContent(Jdk jdk) {
    String name = "openai-java-responses, metrics, content on";
    return TelemetryRun.cached(name, jdk, () -> {
      OtlpReceiver otlp = TelemetryScenarios.start(ReceiverBehaviour.plainOtlp());
      return TelemetryScenario.app(name, jdk, "openai-java-responses").receiver(otlp)
          .env(AgentJvm.agentEnvironment(otlp.endpoint(), "it-openai-java-responses"))
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
          .expectSpans(SPANS, "otlp")
          .run();
    });
  }

  private static ReceivedSpan telemetrySpan(TelemetryRun run, boolean streamed, String finishReason) {
    Predicate<ReceivedSpan> stream = streamed();
    List<ReceivedSpan> found = run.llmSpans("otlp").stream().filter(named("chat gpt-4o-mini")
        .and(streamed ? stream : stream.negate()).and(finishing(finishReason))).toList();
    assertEquals(1, found.size(), run.describe());
    return found.get(0);
  }

  /** Input and output tokens of the five gpt-4o-mini calls in one series each; no points for the failed calls. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void tokenUsageMetrics(Jdk jdk) {
    TelemetryRun run = withMetricsAndContent(jdk);
    assertEquals(0, run.jvm().exitCode(), run.describe());
    List<HistogramPoint> points = run.receiver("otlp").histogramSeries(MetricsExportTest.TOKEN_USAGE);
    assertEquals(2, points.size(), "one input and one output series\n" + points);
    HistogramPoint input = points.stream().filter(p -> "input".equals(p.attr("gen_ai.token.type"))).findFirst()
        .orElseThrow();
    HistogramPoint output = points.stream().filter(p -> "output".equals(p.attr("gen_ai.token.type"))).findFirst()
        .orElseThrow();
    assertAll(points.toString(),
        () -> assertEquals(5, input.count(), "text, stream, function call, streamed function call, incomplete"),
        () -> assertEquals((double) (3 * TEXT_INPUT_TOKENS + 2 * TOOL_INPUT_TOKENS), input.sum()),
        () -> assertEquals(5, output.count()),
        () -> assertEquals((double) (2 * TEXT_OUTPUT_TOKENS + 2 * TOOL_OUTPUT_TOKENS + 4), output.sum()),
        () -> assertEquals(MODEL, input.attr("gen_ai.request.model")),
        () -> assertEquals(RESPONSE_MODEL, input.attr("gen_ai.response.model")),
        () -> assertEquals("chat", input.attr("gen_ai.operation.name")),
        () -> assertEquals("openai", input.attr("gen_ai.provider.name")),
        () -> assertFalse(input.has("error.type")));
    List<HistogramPoint> ttfc = run.receiver("otlp").histogramSeries(MetricsExportTest.TTFC);
    assertEquals(6, ttfc.stream().mapToLong(HistogramPoint::count).sum(),
        "time to first chunk for the six streams\n" + ttfc);
  }

  /** The bundled price of gpt-4o-mini-2024-07-18 on each priced span, and their sum in the cost metric. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void costOfThePricedModel(Jdk jdk) {
    TelemetryRun run = withMetricsAndContent(jdk);
    assertEquals(5.625e-6, TEXT_USD, 1e-15);
    assertAll(run.describe(),
        () -> assertEquals(TEXT_USD, CostOnSpansTest.cost(telemetrySpan(run, false, "stop")), 1e-12),
        () -> assertEquals(TEXT_USD, CostOnSpansTest.cost(telemetrySpan(run, true, "stop")), 1e-12),
        () -> assertEquals(TOOL_USD, CostOnSpansTest.cost(telemetrySpan(run, false, "tool_call")), 1e-12),
        () -> assertEquals(TOOL_USD, CostOnSpansTest.cost(telemetrySpan(run, true, "tool_call")), 1e-12),
        () -> assertEquals(INCOMPLETE_USD, CostOnSpansTest.cost(telemetrySpan(run, false, "max_output_tokens")), 1e-12),
        () -> assertTrue(run.llmSpans("otlp").stream().filter(s -> !s.name().equals("chat gpt-4o-mini"))
            .noneMatch(s -> s.has(COST)), "cost on a call without usage or an unknown model"));
    HistogramPoint cost = MetricsExportTest.only(run.receiver("otlp").histogramSeries(COST), MODEL);
    assertEquals(5, cost.count(), cost.toString());
    assertEquals(2 * TEXT_USD + 2 * TOOL_USD + INCOMPLETE_USD, cost.sum(), 1e-12, cost.toString());
  }

  /** Instructions, input, the tool and the output items as the conventions' JSON. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void contentOfTheFunctionCall(Jdk jdk) throws Exception {
    TelemetryRun run = withMetricsAndContent(jdk);
    ReceivedSpan plain = telemetrySpan(run, false, "tool_call");
    ReceivedSpan streamedCall = telemetrySpan(run, true, "tool_call");
    String toolCall = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"" + TOOL_CALL_ID
        + "\",\"name\":\"" + TOOL_NAME + "\",\"arguments\":" + TOOL_ARGUMENTS + "}],\"finish_reason\":\"tool_call\"}]";
    for (ReceivedSpan s : List.of(plain, streamedCall)) {
      assertAll(s.toString(),
          () -> assertEquals(JSON.readTree("[{\"type\":\"text\",\"content\":\"You are a test.\"}]"),
              JSON.readTree((String) s.attr("gen_ai.system_instructions"))),
          () -> assertEquals(JSON.readTree("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
              + "\"Say hello.\"}]}]"), JSON.readTree((String) s.attr(ContentCaptureTest.INPUT))),
          () -> assertEquals(JSON.readTree("[{\"type\":\"function\",\"name\":\"" + TOOL_NAME + "\",\"description\":"
              + "\"Current weather for a city.\",\"parameters\":{\"type\":\"object\",\"properties\":{\"location\":"
              + "{\"type\":\"string\"}},\"required\":[\"location\"],\"additionalProperties\":false}}]"),
              JSON.readTree((String) s.attr(ContentCaptureTest.TOOLS))),
          () -> assertEquals(JSON.readTree(toolCall), JSON.readTree((String) s.attr(ContentCaptureTest.OUTPUT))));
    }
    ReceivedSpan text = telemetrySpan(run, true, "stop");
    assertEquals(JSON.readTree("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"" + TEXT + "\"}],"
        + "\"finish_reason\":\"stop\"}]"), JSON.readTree((String) text.attr(ContentCaptureTest.OUTPUT)));
  }
}
