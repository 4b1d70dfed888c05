package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.named;
import static dev.llmotel.it.LlmSpanAssertions.streamed;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.OpenAiPayloads;
import dev.llmotel.it.simulator.RecordedRequest;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prompt and completion content: absent from every exported span by default; with
 * {@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true} the semantic conventions' JSON for chats and
 * streams (assembled from deltas) and tool definitions, keys in prompts redacted, and each attribute cut at
 * {@code OTEL_INSTRUMENTATION_LLM_CONTENT_MAX_CHARS} with a visible marker.
 */
class ContentCaptureTest {
  static final String INPUT = "gen_ai.input.messages";
  static final String OUTPUT = "gen_ai.output.messages";
  static final String TOOLS = "gen_ai.tool.definitions";
  static final List<String> CONTENT_ATTRIBUTES = List.of(INPUT, OUTPUT, TOOLS, "gen_ai.system_instructions");
  /** Every prompt and completion text the sample apps and the simulator exchange. */
  static final List<String> MESSAGE_TEXTS = List.of("You are a test.", "Say hello.", OpenAiPayloads.CONTENT,
      " from the", " simulator.", "The quick brown fox", "word0");

  static final String SAY_HELLO_INPUT = "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":"
      + "\"You are a test.\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Say hello.\"}]}]";
  static final String SIMULATOR_OUTPUT = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":"
      + "\"Hello from the simulator.\"}],\"finish_reason\":\"stop\"}]";

  private static final ObjectMapper JSON = new ObjectMapper();

  static List<Jdk> jdks() { return Jdk.all(); }

  static void assertNoContent(List<ReceivedSpan> spans, String where) {
    assertFalse(spans.isEmpty(), "no spans to check at " + where);
    for (ReceivedSpan s : spans) {
      String text = s.protoText();
      for (String key : CONTENT_ATTRIBUTES) assertFalse(s.has(key), key + " with capture off at " + where + ": " + s);
      for (String message : MESSAGE_TEXTS) {
        assertFalse(text.contains(message), "message text '" + message + "' exported with capture off at " + where
            + ":\n" + text);
      }
    }
  }

  /** The sample apps' standard runs (capture not configured) export no message text. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void offByDefaultInTheSampleAppRuns(Jdk jdk) {
    assertNoContent(new OpenAiJavaAppTest().run(jdk).exported(), "openai-java");
    assertNoContent(new OkHttpAppTest().run(jdk).exported(), "okhttp");
  }

  /** Nor does any backend's view of the spans. */
  @Test
  void offByDefaultAtEveryBackend() {
    TelemetryRun run = TelemetryScenarios.okHttpToThreeBackends(Jdk.current());
    for (String receiver : List.of("otlp", "langfuse", "opik", "openobserve")) {
      assertNoContent(run.receiver(receiver).spans(), receiver);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chatAsExactJson(Jdk jdk) {
    TelemetryRun run = TelemetryScenarios.openAiJavaWithMetricsAndContent(jdk);
    ReceivedSpan chat = single(run, named("chat gpt-4o-mini").and(streamed().negate()));
    assertAll(chat.toString(),
        () -> assertEquals(SAY_HELLO_INPUT, chat.attr(INPUT)),
        () -> assertEquals(SIMULATOR_OUTPUT, chat.attr(OUTPUT)),
        () -> assertFalse(chat.has(TOOLS), "no tools were sent"),
        () -> assertValidJson(chat.attr(INPUT)),
        () -> assertValidJson(chat.attr(OUTPUT)));
  }

  /** The completion streamed in deltas ("Hello", " from the", " simulator.") comes out as one message. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamAssembledFromDeltas(Jdk jdk) {
    TelemetryRun run = TelemetryScenarios.openAiJavaWithMetricsAndContent(jdk);
    List<ReceivedSpan> streams = run.llmSpans("otlp").stream()
        .filter(named("chat gpt-4o-mini").or(named("chat sim-slow")).and(streamed())).toList();
    assertEquals(3, streams.size(), run.describe());
    for (ReceivedSpan s : streams) {
      assertAll(s.toString(),
          () -> assertEquals(SAY_HELLO_INPUT, s.attr(INPUT)),
          () -> assertEquals(SIMULATOR_OUTPUT, s.attr(OUTPUT)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void contentOnKeepsTheApiKeyOut(Jdk jdk) {
    TelemetryRun run = TelemetryScenarios.openAiJavaWithMetricsAndContent(jdk);
    for (ReceivedSpan s : run.receiver("otlp").spans()) {
      assertFalse(s.protoText().contains(AppContractTest.API_KEY), "API key exported: " + s.protoText());
    }
  }

  /** A key in a prompt becomes [REDACTED]; the tool definitions come out in the conventions' shape. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void keyInPromptRedactedAndToolsDefined(Jdk jdk) throws IOException {
    TelemetryRun run = TelemetryScenarios.chatAppWithContentLimits(jdk);
    ReceivedSpan s = spanOfCall(run, 0);
    assertAll(s.toString(),
        () -> assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
            + "\"My key is [REDACTED], keep it safe.\"}]}]", s.attr(INPUT)),
        () -> assertEquals(SIMULATOR_OUTPUT, s.attr(OUTPUT)));
    assertInstanceOf(String.class, s.attr(TOOLS), "gen_ai.tool.definitions: " + s);
    JsonNode expectedTools = JSON.readTree("[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":"
        + "\"Weather for a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
        + "\"required\":[\"city\"]}}]");
    assertEquals(expectedTools, JSON.readTree((String) s.attr(TOOLS)), "tool definitions: " + s.attr(TOOLS));
    for (ReceivedSpan any : run.receiver("otlp").spans()) {
      assertFalse(any.protoText().contains(TelemetryScenarios.SECRET_IN_PROMPT.substring(0, 12)),
          "the key in the prompt was exported: " + any.protoText());
    }
  }

  /**
   * A 1,013-character prompt: its text part is cut at the limit with a visible marker, and the attribute stays valid
   * JSON in the conventions' shape (whole messages are kept, at most 4x the limit); the short completion is not cut.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void longContentCutAtMaxChars(Jdk jdk) throws Exception {
    TelemetryRun run = TelemetryScenarios.chatAppWithContentLimits(jdk);
    ReceivedSpan s = spanOfCall(run, 1);
    assertInstanceOf(String.class, s.attr(INPUT), "gen_ai.input.messages: " + s);
    String input = (String) s.attr(INPUT);
    int max = TelemetryScenarios.CONTENT_MAX_CHARS;
    JsonNode parsed = JSON.readTree(input);
    String content = parsed.path(0).path("parts").path(0).path("content").asText();
    assertAll(input,
        () -> assertEquals("user", parsed.path(0).path("role").asText()),
        () -> assertEquals(TelemetryScenarios.LONG_PROMPT.substring(0, max) + "...[truncated]", content,
            "the text part is the prompt's first " + max + " characters and the marker"),
        () -> assertTrue(input.length() <= 4 * max, "length " + input.length() + " for a limit of " + max),
        () -> assertEquals(SIMULATOR_OUTPUT, s.attr(OUTPUT)));
  }

  /** A stream read whole by {@code java.net.http}'s {@code ofString} is assembled like the SDK's. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamThroughJavaNetHttp(Jdk jdk) {
    TelemetryRun run = TelemetryScenarios.chatAppWithContentLimits(jdk);
    ReceivedSpan s = spanOfCall(run, 2);
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(LlmSpanAssertions.STREAM)),
        () -> assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Say hello.\"}]}]",
            s.attr(INPUT)),
        () -> assertEquals(SIMULATOR_OUTPUT, s.attr(OUTPUT)));
  }

  private static ReceivedSpan spanOfCall(TelemetryRun run, int index) {
    assertEquals(0, run.jvm().exitCode(), run.describe());
    List<RecordedRequest> requests = run.simulatorRequests();
    assertEquals(3, requests.size(), run.describe());
    return run.spanOf("otlp", requests.get(index));
  }

  private static ReceivedSpan single(TelemetryRun run, java.util.function.Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> found = run.llmSpans("otlp").stream().filter(filter).toList();
    assertEquals(1, found.size(), run.describe());
    return found.get(0);
  }

  private static void assertValidJson(Object value) throws IOException {
    assertInstanceOf(String.class, value);
    JSON.readTree((String) value);
  }
}
