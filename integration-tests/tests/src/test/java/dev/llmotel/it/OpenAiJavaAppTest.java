package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** com.openai:openai-java 4.101.0 (OkHttp underneath): chat, streams, embeddings, errors, cut and abandoned streams. */
class OpenAiJavaAppTest extends AppContractTest {
  @Override
  String app() { return "openai-java"; }

  @Override
  String[] appArgs() { return new String[] {"retries"}; }

  /** The LLM spans of one run with the {@code retries} argument, by name (also the extension test's). */
  static final Map<String, Long> SPANS = Map.of("chat gpt-4o-mini", 3L, "embeddings text-embedding-3-small", 1L,
      "chat sim-429", 1L, "chat sim-500", 1L, "chat sim-truncated", 1L, "chat sim-slow", 1L, "chat sim-long", 1L,
      // two calls the SDK retried twice each: a logical span and three attempts per call
      "chat sim-flaky", 8L);

  /** The app is compiled for Java 8: every test here also runs it on a JDK 8 where one is installed. */
  static List<Jdk> jdks() { return Java8Apps.jdks(); }

  @Test
  void java8Run() throws Exception {
    Java8Apps.assumeJava8Run(app());
  }

  @Override
  Map<String, Long> expectedSpans() {
    return SPANS;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chatCompletion(Jdk jdk) {
    checkPlainChat(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamWithIncludeUsage(Jdk jdk) {
    checkStreamWithUsage(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamWithoutIncludeUsage(Jdk jdk) {
    checkStreamWithoutUsage(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void embeddingsAsBase64(Jdk jdk) {
    checkEmbeddings(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void rateLimited(Jdk jdk) {
    assertHttpError(run(jdk).single("chat sim-429", named("chat sim-429")), 429, "rate_limit_exceeded");
  }

  /** maxRetries(2) against two 429s then the answer: one logical span per call, one child span per attempt. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void retriedCallIsOneLogicalSpanWithOneChildPerAttempt(Jdk jdk) {
    AppRun run = run(jdk);
    // the SDK closes a response it retries without reading its body: the status is the error's type
    List<ReceivedSpan> logical = assertRetriedTwice(run, "429");
    assertEquals(2, logical.size(), run.dump());
    assertTrue(logical.stream().anyMatch(streamed()), "the retried stream is one of them: " + logical);
  }

  /**
   * Every call to {@code sim-flaky} (answered 429 twice, then the chat) that its library retried: one logical span
   * with three attempt children, the two 429s (whose {@code error.type} is {@code rejectedErrorType}) and the answer,
   * which alone carries the usage. Returns the logical spans.
   */
  static List<ReceivedSpan> assertRetriedTwice(AppRun run, String rejectedErrorType) {
    List<ReceivedSpan> flaky = run.exported().stream().filter(named("chat sim-flaky")).toList();
    List<ReceivedSpan> logical = flaky.stream().filter(s -> s.has("llmotel.retry.count")).toList();
    assertFalse(logical.isEmpty(), "no logical span above the retried call\n" + run.dump());
    for (ReceivedSpan call : logical) {
      List<ReceivedSpan> attempts = flaky.stream().filter(s -> s.parentSpanId().equals(call.spanId()))
          .sorted(Comparator.comparingLong(s -> s.span().getStartTimeUnixNano())).toList();
      assertEquals(3, attempts.size(), run.dump());
      assertHttpError(attempts.get(0), 429, rejectedErrorType);
      assertHttpError(attempts.get(1), 429, rejectedErrorType);
      ReceivedSpan answered = attempts.get(2);
      assertSuccessfulChat(answered);
      assertFullUsage(answered);
      assertAll(call.toString(),
          () -> assertFalse(attempts.get(0).has("http.request.resend_count")),
          () -> assertEquals(1L, attempts.get(1).attr("http.request.resend_count")),
          () -> assertEquals(2L, answered.attr("http.request.resend_count")),
          () -> assertEquals(2L, call.attr("llmotel.retry.count")),
          () -> assertEquals(true, call.attr("llmotel.usage.on_child_span")),
          () -> assertFalse(call.has(INPUT_TOKENS), "tokens are counted once, on the attempt that got them"),
          () -> assertFalse(call.has(ERROR_TYPE), "the call succeeded in the end"),
          () -> assertEquals(dev.llmotel.it.simulator.OpenAiPayloads.CHAT_RESPONSE_MODEL, call.attr("gen_ai.response.model")),
          () -> assertNotEquals(Status.StatusCode.STATUS_CODE_ERROR, call.statusCode()),
          () -> assertEquals(answered.attr(STREAM), call.attr(STREAM)),
          () -> assertTrue(call.span().getStartTimeUnixNano() <= attempts.get(0).span().getStartTimeUnixNano()),
          () -> assertTrue(call.span().getEndTimeUnixNano() >= answered.span().getEndTimeUnixNano()));
    }
    return logical;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void serverError(Jdk jdk) {
    assertHttpError(run(jdk).single("chat sim-500", named("chat sim-500")), 500, "server_error");
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
        () -> assertEquals((long) LlmSimulator.TRUNCATED_PIECES.size(), s.attr(CHUNKS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void slowStreamTimeToFirstChunk(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-slow", named("chat sim-slow"));
    assertSuccessfulChat(s, "sim-slow");
    assertAll(s.toString(),
        () -> assertEquals("completed", s.attr(OUTCOME)),
        () -> assertEquals(CHOICE_CHUNKS, s.attr(CHUNKS)),
        () -> assertTimeToFirstChunk(s, LlmSimulator.SLOW_GAP_MILLIS / 1000.0),
        () -> assertTrue(s.durationSeconds() >= 6 * LlmSimulator.SLOW_GAP_MILLIS / 1000.0,
            "the span must last until [DONE] (6 gaps of 150 ms): " + s.durationSeconds() + " s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void abandonedStream(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-long", named("chat sim-long"));
    long total = LlmSimulator.LONG_STREAM_PIECES + 2;
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals("abandoned", s.attr(OUTCOME)),
        () -> {
          Object chunks = s.attr(CHUNKS);
          assertInstanceOf(Long.class, chunks, "llmotel.stream.chunks");
          assertTrue((Long) chunks >= 2 && (Long) chunks < total,
              "the app read 2 of " + total + " chunks before closing; span says " + chunks);
        },
        () -> assertTrue(s.durationSeconds() < total * LlmSimulator.SLOW_GAP_MILLIS / 1000.0 / 2,
            "the span must end when the app closes the stream, not when the server would have finished: "
                + s.durationSeconds() + " s"));
  }
}
