package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.assertExactly;
import static dev.llmotel.it.AnthropicJavaAppTest.assertStatus;
import static dev.llmotel.it.LlmSpanAssertions.named;
import static dev.llmotel.it.LlmSpanAssertions.streamed;
import static dev.llmotel.it.simulator.AnthropicPayloads.CACHE_CREATION_TOKENS;
import static dev.llmotel.it.simulator.AnthropicPayloads.CACHE_READ_TOKENS;
import static dev.llmotel.it.simulator.AnthropicPayloads.MESSAGE_ID;
import static dev.llmotel.it.simulator.AnthropicPayloads.OUTPUT_TOKENS;
import static dev.llmotel.it.simulator.AnthropicPayloads.RESPONSE_MODEL;
import static dev.llmotel.it.simulator.AnthropicPayloads.TOTAL_INPUT_TOKENS;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.AnthropicPayloads;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dev.langchain4j:langchain4j-anthropic 1.19.0 ({@code AnthropicChatModel} and {@code AnthropicStreamingChatModel}
 * over langchain4j-http-client-jdk, so java.net.http underneath) against the simulator's Anthropic route: a chat, a
 * streamed chat and a 429 (no retries). Each span is checked attribute by attribute (the whole set, times aside), as
 * {@link AnthropicJavaAppTest} does for the official SDK.
 */
class LangChain4jAnthropicAppTest extends AppContractTest {
  static final String MODEL = AnthropicPayloads.MODEL;

  @Override
  String app() { return "langchain4j-anthropic"; }

  @Override
  String providerName() { return "anthropic"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat " + MODEL, 2L, "chat sim-429", 1L);
  }

  /** The attributes every call to the simulator has (the app asks for 256 max tokens and nothing else). */
  private Map<String, Object> common(Jdk jdk, String model) {
    Map<String, Object> a = new TreeMap<>();
    a.put("gen_ai.operation.name", "chat");
    a.put("gen_ai.provider.name", "anthropic");
    a.put("gen_ai.request.model", model);
    a.put("gen_ai.request.max_tokens", 256L);
    a.put("server.address", "127.0.0.1");
    a.put("server.port", (long) run(jdk).simulatorPort());
    return a;
  }

  /** The simulator's message: id, response model, end_turn, usage with both cache counts. */
  private static void message(Map<String, Object> a) {
    a.put("gen_ai.response.id", MESSAGE_ID);
    a.put("gen_ai.response.model", RESPONSE_MODEL);
    a.put("gen_ai.response.finish_reasons", List.of("stop"));
    a.put("gen_ai.usage.input_tokens", TOTAL_INPUT_TOKENS);
    a.put("gen_ai.usage.cache_read.input_tokens", CACHE_READ_TOKENS);
    a.put("gen_ai.usage.cache_creation.input_tokens", CACHE_CREATION_TOKENS);
    a.put("gen_ai.usage.output_tokens", OUTPUT_TOKENS);
    a.put("http.response.status_code", 200L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chatModel(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat", named("chat " + MODEL).and(streamed().negate()));
    Map<String, Object> a = common(jdk, MODEL);
    message(a);
    assertExactly(s, a, AnthropicJavaAppTest.MESSAGE_USD);
    assertStatus(s, Status.StatusCode.STATUS_CODE_UNSET, null);
  }

  /** The named SSE events end with message_stop: a completed stream of three text deltas, with a time to first chunk. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamingChatModel(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("streamed chat", named("chat " + MODEL).and(streamed()));
    Map<String, Object> a = common(jdk, MODEL);
    message(a);
    a.put("gen_ai.request.stream", true);
    a.put("llmotel.stream.outcome", "completed");
    a.put("llmotel.stream.chunks", (long) AnthropicPayloads.CONTENT_PIECES.size());
    assertExactly(s, a, AnthropicJavaAppTest.MESSAGE_USD);
    assertStatus(s, Status.StatusCode.STATUS_CODE_UNSET, null);
  }

  /** One span only: maxRetries(0), so LangChain4j does not retry the 429. */
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
}
