package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dev.langchain4j:langchain4j-open-ai 1.19.0 (java.net.http underneath): chat, streaming chat, embeddings, a 500, and
 * a chat LangChain4j retries twice.
 */
class LangChain4jAppTest extends AppContractTest {
  /**
   * The least time LangChain4j's default retry policy sleeps between three attempts: 500 ms, then 500 * 1.5 ms (its
   * jitter only adds).
   */
  static final double MIN_BACKOFF_SECONDS = 0.5 + 0.75;

  @Override
  String app() { return "langchain4j"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat gpt-4o-mini", 2L, "embeddings text-embedding-3-small", 1L, "chat sim-500", 1L,
        // one call LangChain4j retried twice: a logical span and three attempts
        "chat sim-flaky", 4L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chatModel(Jdk jdk) {
    checkPlainChat(jdk);
  }

  /** LangChain4j asks for {@code stream_options.include_usage}, so the stream carries the usage. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamingChatModel(Jdk jdk) {
    checkStreamWithUsage(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void embeddingModel(Jdk jdk) {
    checkEmbeddings(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void serverError(Jdk jdk) {
    assertHttpError(run(jdk).single("chat sim-500", named("chat sim-500")), 500, "server_error");
  }

  /**
   * {@code OpenAiChatModel} with maxRetries(2) against two 429s then the answer: LangChain4j's retry loop
   * ({@code RetryUtils.RetryPolicy.withRetry}) is one logical span with one child span per attempt, as for
   * openai-java's. LangChain4j reads each 429's body, so the attempts carry OpenAI's error type; the logical span
   * lasts across the policy's sleeps.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void retriedCallIsOneLogicalSpanWithOneChildPerAttempt(Jdk jdk) {
    AppRun run = run(jdk);
    List<ReceivedSpan> logical = OpenAiJavaAppTest.assertRetriedTwice(run, "rate_limit_exceeded");
    assertEquals(1, logical.size(), run.dump());
    ReceivedSpan call = logical.get(0);
    assertAll(call.toString(),
        () -> assertFalse(call.has(STREAM), "OpenAiChatModel does not stream"),
        () -> assertTrue(call.durationSeconds() >= MIN_BACKOFF_SECONDS,
            "the logical span covers the retry policy's sleeps: " + call.durationSeconds() + " s"),
        () -> assertEquals(3L, run.requestsWithAgent().stream().filter(r -> "sim-flaky".equals(r.model())).count(),
            run.requestsWithAgent().toString()));
  }
}
