package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.assertExactly;
import static dev.llmotel.it.AnthropicJavaAppTest.assertStatus;
import static dev.llmotel.it.LlmSpanAssertions.named;
import static dev.llmotel.it.LlmSpanAssertions.streamed;
import static dev.llmotel.it.simulator.GeminiRoutes.CACHED_TOKENS;
import static dev.llmotel.it.simulator.GeminiRoutes.EMBEDDING_MODEL;
import static dev.llmotel.it.simulator.GeminiRoutes.MODEL;
import static dev.llmotel.it.simulator.GeminiRoutes.PROMPT_TOKENS;
import static dev.llmotel.it.simulator.GeminiRoutes.RESPONSE_ID;
import static dev.llmotel.it.simulator.GeminiRoutes.THOUGHTS_TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.GeminiRoutes;
import dev.llmotel.it.simulator.LlmSimulator;
import dev.llmotel.it.simulator.RecordedRequest;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dev.langchain4j:langchain4j-google-ai-gemini 1.19.0 ({@code GoogleAiGeminiChatModel},
 * {@code GoogleAiGeminiStreamingChatModel}, {@code GoogleAiEmbeddingModel} over langchain4j-http-client-jdk, so
 * java.net.http underneath) against the simulator's Gemini routes on the Developer API's paths ({@code gcp.gemini}):
 * a chat, a streamed chat, embeddings of two texts ({@code batchEmbedContents}), a 429 (no retries) and a stream that
 * ends without a finish reason. Each span is checked attribute by attribute (the whole set, times aside), as
 * {@link GoogleGenAiAppTest} does for Google's own SDK.
 */
class LangChain4jGeminiAppTest extends AppContractTest {
  @Override
  String app() { return "langchain4j-gemini"; }

  @Override
  String providerName() { return "gcp.gemini"; }

  /** Gemini names the model in the path, not the body. */
  @Override
  String requestModel(RecordedRequest request) { return GeminiRoutes.model(request.path()); }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("generate_content " + MODEL, 2L, "embeddings " + EMBEDDING_MODEL, 1L,
        "generate_content sim-429", 1L, "generate_content sim-truncated", 1L);
  }

  /**
   * The attributes every generate_content call of the app has: it asks for 256 tokens at temperature 0.2, and
   * LangChain4j always sends {@code responseMimeType: text/plain} (output type {@code text}).
   */
  private Map<String, Object> common(Jdk jdk, String model) {
    Map<String, Object> a = new TreeMap<>();
    a.put("gen_ai.operation.name", "generate_content");
    a.put("gen_ai.provider.name", "gcp.gemini");
    a.put("gen_ai.request.model", model);
    a.put("gen_ai.request.max_tokens", 256L);
    a.put("gen_ai.request.temperature", 0.2);
    a.put("gen_ai.output.type", "text");
    a.put("server.address", "127.0.0.1");
    a.put("server.port", (long) run(jdk).simulatorPort());
    return a;
  }

  /** The simulator's answer: id, model version, stop, the full usage (thoughts counted as output). */
  private static void answer(Map<String, Object> a) {
    a.put("gen_ai.response.id", RESPONSE_ID);
    a.put("gen_ai.response.model", MODEL);
    a.put("gen_ai.response.finish_reasons", List.of("stop"));
    a.put("gen_ai.usage.input_tokens", PROMPT_TOKENS);
    a.put("gen_ai.usage.cache_read.input_tokens", CACHED_TOKENS);
    a.put("gen_ai.usage.output_tokens", GoogleGenAiAppTest.OUTPUT_TOKENS);
    a.put("gen_ai.usage.reasoning.output_tokens", THOUGHTS_TOKENS);
    a.put("http.response.status_code", 200L);
  }

  private static void stream(Map<String, Object> a, String outcome, long chunks) {
    a.put("gen_ai.request.stream", true);
    a.put("llmotel.stream.outcome", outcome);
    a.put("llmotel.stream.chunks", chunks);
  }

  /** LangChain4j found langchain4j-http-client-jdk on the class path: java.net.http carries every call. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void callsGoThroughJavaNetHttp(Jdk jdk) {
    String stdout = run(jdk).plain().stdout();
    assertTrue(stdout.startsWith("http client: dev.langchain4j.http.client.jdk.JdkHttpClientBuilder\n"), stdout);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chatModel(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat", named("generate_content " + MODEL).and(streamed().negate()));
    Map<String, Object> a = common(jdk, MODEL);
    answer(a);
    assertExactly(s, a, GoogleGenAiAppTest.DEVELOPER_USD);
    assertStatus(s, Status.StatusCode.STATUS_CODE_UNSET, null);
  }

  /** {@code :streamGenerateContent?alt=sse}: no end marker, so read to its end after a finish reason: completed. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamingChatModel(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("stream", named("generate_content " + MODEL).and(streamed()));
    Map<String, Object> a = common(jdk, MODEL);
    answer(a);
    stream(a, "completed", GeminiRoutes.PIECES.size() + 1);
    assertExactly(s, a, GoogleGenAiAppTest.DEVELOPER_USD);
    assertStatus(s, Status.StatusCode.STATUS_CODE_UNSET, null);
  }

  /** {@code embedAll} of two texts is one {@code batchEmbedContents}; Gemini reports no usage for it. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void embeddingModel(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan s = run.single("embed", named("embeddings " + EMBEDDING_MODEL));
    Map<String, Object> a = new TreeMap<>();
    a.put("gen_ai.operation.name", "embeddings");
    a.put("gen_ai.provider.name", "gcp.gemini");
    a.put("gen_ai.request.model", EMBEDDING_MODEL);
    a.put("gen_ai.embeddings.dimension.count", (long) GeminiRoutes.EMBEDDING_DIMENSIONS);
    a.put("http.response.status_code", 200L);
    a.put("server.address", "127.0.0.1");
    a.put("server.port", (long) run.simulatorPort());
    assertExactly(s, a, null);
    assertEquals(1, run.requestsWithAgent().stream()
        .filter(r -> r.path().endsWith("/models/" + EMBEDDING_MODEL + ":batchEmbedContents")).count(),
        run.requestsWithAgent().toString());
  }

  /** One span only: maxRetries(0), so LangChain4j does not retry the 429. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void rateLimited(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("429", named("generate_content sim-429"));
    Map<String, Object> a = common(jdk, "sim-429");
    a.put("http.response.status_code", 429L);
    a.put("error.type", "RESOURCE_EXHAUSTED");
    assertExactly(s, a, null);
    assertStatus(s, Status.StatusCode.STATUS_CODE_ERROR, GeminiRoutes.QUOTA_MESSAGE);
  }

  /**
   * Two chunks, no finish reason, then the body ends: truncated, with the prompt count the chunks gave (LangChain4j
   * itself completes the response, without a finish reason).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void truncatedStream(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("sim-truncated", named("generate_content sim-truncated"));
    Map<String, Object> a = common(jdk, "sim-truncated");
    a.put("gen_ai.response.id", RESPONSE_ID);
    a.put("gen_ai.response.model", "sim-truncated");
    a.put("gen_ai.usage.input_tokens", PROMPT_TOKENS);
    a.put("http.response.status_code", 200L);
    a.put("error.type", "stream_truncated");
    stream(a, "truncated", LlmSimulator.TRUNCATED_PIECES.size());
    assertExactly(s, a, null);
    assertStatus(s, Status.StatusCode.STATUS_CODE_ERROR, null);
  }
}
