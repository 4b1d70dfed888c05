package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.assertExactly;

import static dev.llmotel.it.LlmSpanAssertions.TTFC;
import static dev.llmotel.it.LlmSpanAssertions.named;
import static dev.llmotel.it.LlmSpanAssertions.streamed;
import static dev.llmotel.it.simulator.AnthropicPayloads.CACHE_CREATION_TOKENS;
import static dev.llmotel.it.simulator.AnthropicPayloads.CACHE_READ_TOKENS;
import static dev.llmotel.it.simulator.AnthropicPayloads.INPUT_TOKENS;
import static dev.llmotel.it.simulator.AnthropicPayloads.MESSAGE_ID;
import static dev.llmotel.it.simulator.AnthropicPayloads.OUTPUT_TOKENS;
import static dev.llmotel.it.simulator.AnthropicPayloads.RESPONSE_MODEL;
import static dev.llmotel.it.simulator.AnthropicPayloads.TOOL_INPUT_TOKENS;
import static dev.llmotel.it.simulator.AnthropicPayloads.TOOL_MESSAGE_ID;
import static dev.llmotel.it.simulator.AnthropicPayloads.TOOL_OUTPUT_TOKENS;
import static dev.llmotel.it.simulator.AnthropicPayloads.TOTAL_INPUT_TOKENS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.AnthropicPayloads;
import dev.llmotel.it.simulator.LlmSimulator;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * com.anthropic:anthropic-java 2.75.0 (OkHttp underneath) against the simulator's Anthropic routes: a message, a
 * streamed message, a tool-use message, a 429, a stream cut by an {@code overloaded_error} event, a truncated
 * stream, and through {@code client.async()} a message and a streamed message (max_tokens 128 instead of 256). Each span is checked attribute by attribute (the whole set, times aside); a second run with metrics and
 * content capture on checks token, duration, chunk-timing and cost metrics and the captured messages.
 */
class AnthropicJavaAppTest extends AppContractTest {
  static final String MODEL = AnthropicPayloads.MODEL;
  /**
   * The bundled price of {@code claude-sonnet-4-5-20250929} (model-prices.tsv: input 3e-06, output 1.5e-05, cache
   * read 3e-07, cache creation 3.75e-06 USD per token) applied to the simulator's message usage.
   */
  static final double MESSAGE_USD = INPUT_TOKENS * 3e-06 + CACHE_READ_TOKENS * 3e-07
      + CACHE_CREATION_TOKENS * 3.75e-06 + OUTPUT_TOKENS * 1.5e-05;
  static final double TOOL_USE_USD = TOOL_INPUT_TOKENS * 3e-06 + TOOL_OUTPUT_TOKENS * 1.5e-05;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The sync calls' max_tokens. */
  static final long MAX_TOKENS = 256;
  /** The async calls' max_tokens, which tells their spans from the sync ones. */
  static final long ASYNC_MAX_TOKENS = 128;

  @Override
  String app() { return "anthropic-java"; }

  /** The app is compiled for Java 8: every test here also runs it on a JDK 8 where one is installed. */
  static List<Jdk> jdks() { return Java8Apps.jdks(); }

  @Test
  void java8Run() throws Exception {
    Java8Apps.assumeJava8Run(app());
  }

  @Override
  String providerName() { return "anthropic"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat " + MODEL, 5L, "chat sim-429", 1L, "chat sim-overloaded", 1L, "chat sim-truncated", 1L);
  }

  private static Predicate<ReceivedSpan> responseId(String id) {
    return s -> id.equals(s.attr("gen_ai.response.id"));
  }

  private static Predicate<ReceivedSpan> maxTokens(long maxTokens) {
    return s -> Long.valueOf(maxTokens).equals(s.attr("gen_ai.request.max_tokens"));
  }

  /** The attributes every call to the simulator has. */
  private Map<String, Object> common(Jdk jdk, String model) {
    return common(jdk, model, MAX_TOKENS);
  }

  private Map<String, Object> common(Jdk jdk, String model, long maxTokens) {
    Map<String, Object> a = new TreeMap<>();
    a.put("gen_ai.operation.name", "chat");
    a.put("gen_ai.provider.name", "anthropic");
    a.put("gen_ai.request.model", model);
    a.put("gen_ai.request.max_tokens", maxTokens);
    a.put("server.address", "127.0.0.1");
    a.put("server.port", (long) run(jdk).simulatorPort());
    return a;
  }

  /** Usage as message_start (or a whole message) reports it: input + cache counts, the given output. */
  private static void usage(Map<String, Object> a, long input, long cacheRead, long cacheCreation, long output) {
    a.put("gen_ai.usage.input_tokens", input);
    a.put("gen_ai.usage.cache_read.input_tokens", cacheRead);
    a.put("gen_ai.usage.cache_creation.input_tokens", cacheCreation);
    a.put("gen_ai.usage.output_tokens", output);
  }

  private static void stream(Map<String, Object> a, String outcome, long chunks) {
    a.put("gen_ai.request.stream", true);
    a.put("llmotel.stream.outcome", outcome);
    a.put("llmotel.stream.chunks", chunks);
  }


  static void assertStatus(ReceivedSpan s, Status.StatusCode code, String message) {
    assertEquals(code, s.statusCode(), s.toString());
    if (message != null) assertEquals(message, s.span().getStatus().getMessage(), s.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void message(Jdk jdk) {
    checkMessage(jdk, "message", MAX_TOKENS);
  }

  /** {@code client.async().messages().create(...)}, joined: the same span as the sync message. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void asyncMessage(Jdk jdk) {
    checkMessage(jdk, "async message", ASYNC_MAX_TOKENS);
  }

  private void checkMessage(Jdk jdk, String what, long maxTokens) {
    ReceivedSpan s = run(jdk).single(what, named("chat " + MODEL).and(streamed().negate())
        .and(responseId(MESSAGE_ID)).and(maxTokens(maxTokens)));
    Map<String, Object> a = common(jdk, MODEL, maxTokens);
    a.put("gen_ai.response.id", MESSAGE_ID);
    a.put("gen_ai.response.model", RESPONSE_MODEL);
    a.put("gen_ai.response.finish_reasons", List.of("stop"));
    usage(a, TOTAL_INPUT_TOKENS, CACHE_READ_TOKENS, CACHE_CREATION_TOKENS, OUTPUT_TOKENS);
    a.put("http.response.status_code", 200L);
    assertExactly(s, a, MESSAGE_USD);
    assertStatus(s, Status.StatusCode.STATUS_CODE_UNSET, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamedMessage(Jdk jdk) {
    checkStreamedMessage(jdk, "streamed message", MAX_TOKENS);
  }

  /** {@code client.async().messages().createStreaming(...)} read by a subscribed handler: as the sync stream. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void asyncStreamedMessage(Jdk jdk) {
    checkStreamedMessage(jdk, "async streamed message", ASYNC_MAX_TOKENS);
  }

  private void checkStreamedMessage(Jdk jdk, String what, long maxTokens) {
    ReceivedSpan s = run(jdk).single(what, named("chat " + MODEL).and(streamed()).and(maxTokens(maxTokens)));
    Map<String, Object> a = common(jdk, MODEL, maxTokens);
    a.put("gen_ai.response.id", MESSAGE_ID);
    a.put("gen_ai.response.model", RESPONSE_MODEL);
    a.put("gen_ai.response.finish_reasons", List.of("stop"));
    usage(a, TOTAL_INPUT_TOKENS, CACHE_READ_TOKENS, CACHE_CREATION_TOKENS, OUTPUT_TOKENS);
    a.put("http.response.status_code", 200L);
    stream(a, "completed", AnthropicPayloads.CONTENT_PIECES.size());
    assertExactly(s, a, MESSAGE_USD);
    assertStatus(s, Status.StatusCode.STATUS_CODE_UNSET, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void toolUse(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("tool use", named("chat " + MODEL).and(responseId(TOOL_MESSAGE_ID)));
    Map<String, Object> a = common(jdk, MODEL);
    a.put("gen_ai.response.id", TOOL_MESSAGE_ID);
    a.put("gen_ai.response.model", RESPONSE_MODEL);
    a.put("gen_ai.response.finish_reasons", List.of("tool_call"));
    usage(a, TOOL_INPUT_TOKENS, 0, 0, TOOL_OUTPUT_TOKENS);
    a.put("http.response.status_code", 200L);
    assertExactly(s, a, TOOL_USE_USD);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void rateLimited(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("429", named("chat sim-429"));
    Map<String, Object> a = common(jdk, "sim-429");
    a.put("http.response.status_code", 429L);
    a.put("error.type", "rate_limit_error");
    assertExactly(s, a, null);
    assertStatus(s, Status.StatusCode.STATUS_CODE_ERROR, AnthropicPayloads.RATE_LIMIT_MESSAGE);
  }

  /**
   * The {@code error} event names the error; the SDK throws on it and closes the stream before its end, so the
   * stream is abandoned, with the one delta before the error counted and the usage of message_start.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void overloadedMidStream(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("sim-overloaded", named("chat sim-overloaded"));
    Map<String, Object> a = common(jdk, "sim-overloaded");
    a.put("gen_ai.response.id", MESSAGE_ID);
    a.put("gen_ai.response.model", "sim-overloaded");
    usage(a, TOTAL_INPUT_TOKENS, CACHE_READ_TOKENS, CACHE_CREATION_TOKENS, 1);
    a.put("http.response.status_code", 200L);
    a.put("error.type", "overloaded_error");
    stream(a, "abandoned", 1);
    assertExactly(s, a, null);
    assertStatus(s, Status.StatusCode.STATUS_CODE_ERROR, AnthropicPayloads.OVERLOADED_MESSAGE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void truncatedStream(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("sim-truncated", named("chat sim-truncated"));
    Map<String, Object> a = common(jdk, "sim-truncated");
    a.put("gen_ai.response.id", MESSAGE_ID);
    a.put("gen_ai.response.model", "sim-truncated");
    usage(a, TOTAL_INPUT_TOKENS, CACHE_READ_TOKENS, CACHE_CREATION_TOKENS, 1);
    a.put("http.response.status_code", 200L);
    a.put("error.type", "stream_truncated");
    stream(a, "truncated", LlmSimulator.TRUNCATED_PIECES.size());
    assertExactly(s, a, null);
    assertStatus(s, Status.StatusCode.STATUS_CODE_ERROR, null);
  }

  // The run with metrics and content capture on

  private static TelemetryRun telemetry(Jdk jdk) {
    return TelemetryScenarios.anthropicJavaWithMetricsAndContent(jdk);
  }

  /**
   * Token usage per request model: the five claude calls (two messages and two streams, sync and async, one tool
   * use), the two failed streams.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void tokenUsageMetrics(Jdk jdk) {
    TelemetryRun run = telemetry(jdk);
    List<HistogramPoint> points = run.receiver("otlp").histogramSeries(MetricsExportTest.TOKEN_USAGE);
    Map<String, String> sums = TelemetryRun.tokenSums(run.receiver("otlp"), TelemetryRun::modelAndTokenType);
    long streamedInput = TOTAL_INPUT_TOKENS;
    assertEquals(Map.of(
        MODEL + "/input", "5 calls, " + (4 * TOTAL_INPUT_TOKENS + TOOL_INPUT_TOKENS) + " tokens",
        MODEL + "/output", "5 calls, " + (4 * OUTPUT_TOKENS + TOOL_OUTPUT_TOKENS) + " tokens",
        "sim-overloaded/input", "1 calls, " + streamedInput + " tokens",
        "sim-overloaded/output", "1 calls, 1 tokens",
        "sim-truncated/input", "1 calls, " + streamedInput + " tokens",
        "sim-truncated/output", "1 calls, 1 tokens"), sums, points + "\n" + run.describe());
    for (HistogramPoint p : points) assertEquals("anthropic", p.attr("gen_ai.provider.name"), p.toString());
  }

  /** One duration series per request model, time to first chunk for the four streams, cost for the claude calls. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void durationChunkTimingAndCostMetrics(Jdk jdk) {
    TelemetryRun run = telemetry(jdk);
    List<HistogramPoint> durations = run.receiver("otlp").histogramSeries(MetricsExportTest.DURATION);
    List<HistogramPoint> ttfc = run.receiver("otlp").histogramSeries(MetricsExportTest.TTFC);
    List<HistogramPoint> cost = run.receiver("otlp").histogramSeries(MetricsExportTest.COST);
    assertAll(run.describe(),
        () -> assertEquals(Set.of(MODEL, "sim-429", "sim-overloaded", "sim-truncated"),
            Set.copyOf(durations.stream().map(p -> p.attr("gen_ai.request.model")).toList()), durations.toString()),
        () -> assertEquals(5, MetricsExportTest.only(durations, MODEL).count()),
        () -> assertEquals("rate_limit_error", MetricsExportTest.only(durations, "sim-429").attr("error.type")),
        () -> assertEquals("overloaded_error", MetricsExportTest.only(durations, "sim-overloaded").attr("error.type")),
        () -> assertEquals(4, ttfc.stream().mapToLong(HistogramPoint::count).sum(), "streams: " + ttfc),
        () -> assertEquals(2, MetricsExportTest.only(ttfc, MODEL).count(), "the two claude streams: " + ttfc),
        () -> assertEquals(1, cost.size(), "only the known model is priced: " + cost),
        () -> assertEquals(5, MetricsExportTest.only(cost, MODEL).count()),
        () -> assertEquals(4 * MESSAGE_USD + TOOL_USE_USD, MetricsExportTest.only(cost, MODEL).sum(), 1e-12));
  }

  /** With capture on: system, user message, tools and the output parts of a text and a tool-use message. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void capturedMessagesInTheConventionsShapes(Jdk jdk) throws Exception {
    TelemetryRun run = telemetry(jdk);
    List<ReceivedSpan> spans = run.llmSpans("otlp");
    ReceivedSpan tool = spans.stream().filter(responseId(TOOL_MESSAGE_ID)).findFirst().orElseThrow();
    ReceivedSpan stream = spans.stream().filter(named("chat " + MODEL).and(streamed())).findFirst().orElseThrow();
    assertAll(run.describe(),
        () -> assertJson("[{\"type\":\"text\",\"content\":\"You are a test.\"}]",
            tool.attr("gen_ai.system_instructions")),
        () -> assertJson("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Say hello.\"}]}]",
            tool.attr(ContentCaptureTest.INPUT)),
        () -> assertJson("[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Get the current weather"
            + " in a given location\",\"parameters\":{\"type\":\"object\",\"properties\":{\"location\":{\"type\":"
            + "\"string\"}},\"required\":[\"location\"]}}]", tool.attr(ContentCaptureTest.TOOLS)),
        () -> assertJson("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\""
            + AnthropicPayloads.TOOL_TEXT + "\"},{\"type\":\"tool_call\",\"id\":\"" + AnthropicPayloads.TOOL_USE_ID
            + "\",\"name\":\"get_weather\",\"arguments\":" + AnthropicPayloads.TOOL_INPUT + "}],"
            + "\"finish_reason\":\"tool_call\"}]", tool.attr(ContentCaptureTest.OUTPUT)),
        () -> assertJson("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\""
            + AnthropicPayloads.CONTENT + "\"}],\"finish_reason\":\"stop\"}]", stream.attr(ContentCaptureTest.OUTPUT)));
  }

  private static void assertJson(String expected, Object actual) throws Exception {
    assertEquals(JSON.readTree(expected), JSON.readTree(String.valueOf(actual)), String.valueOf(actual));
  }

  // anthropic-java tracing itself (its default): the agent's rule for an SDK that traces its own calls

  /**
   * Each call is one SDK span ({@code anthropic.messages.create}, exported through the agent's bridge) with the
   * agent's LLM span as its child: the child carries the usage, the SDK span keeps its request attributes but not its
   * token counts (marked {@code llmotel.usage.on_child_span}), so a backend that sums tokens per trace counts them once.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void anSdkTracingItselfGetsItsSpanAsTheParentAndTheTokensCountedOnce(Jdk jdk) {
    TelemetryRun run = TelemetryScenarios.anthropicJavaTracingItself(jdk);
    assertEquals(0, run.jvm().exitCode(), run.describe());
    List<ReceivedSpan> spans = run.receiver("otlp").spans();
    List<ReceivedSpan> sdk = spans.stream().filter(s -> s.name().equals("anthropic.messages.create")).toList();
    List<ReceivedSpan> llm = spans.stream().filter(named("chat " + MODEL)).toList();
    assertEquals(2, sdk.size(), run.describe());
    assertEquals(2, llm.size(), run.describe());
    for (ReceivedSpan child : llm) {
      ReceivedSpan parent = sdk.stream().filter(s -> s.spanId().equals(child.parentSpanId())).findFirst()
          .orElseThrow(() -> new AssertionError("no SDK span is the parent of " + child + "\n" + run.describe()));
      assertAll(child.toString(),
          () -> assertEquals(TOTAL_INPUT_TOKENS, child.attr("gen_ai.usage.input_tokens")),
          () -> assertEquals(OUTPUT_TOKENS, child.attr("gen_ai.usage.output_tokens")),
          () -> assertEquals("com.anthropic.sdk.java", parent.scopeName()),
          () -> assertEquals(MODEL, parent.attr("gen_ai.request.model"), parent.toString()),
          () -> assertFalse(parent.attributes().keySet().stream().anyMatch(k -> k.startsWith("gen_ai.usage.")),
              parent.toString()),
          () -> assertEquals(true, parent.attr("llmotel.usage.on_child_span"), parent.toString()));
    }
    // the metrics come from the agent's spans alone: two calls, their tokens once
    List<HistogramPoint> points = run.receiver("otlp").histogramSeries(MetricsExportTest.TOKEN_USAGE);
    Map<String, String> sums =
        TelemetryRun.tokenSums(run.receiver("otlp"), p -> String.valueOf(p.attr("gen_ai.token.type")));
    assertEquals(Map.of("input", "2 calls, " + 2 * TOTAL_INPUT_TOKENS + " tokens",
        "output", "2 calls, " + 2 * OUTPUT_TOKENS + " tokens"), sums, points.toString());
  }
}
