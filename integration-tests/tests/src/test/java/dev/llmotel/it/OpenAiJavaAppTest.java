package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** com.openai:openai-java 4.101.0 (OkHttp underneath): chat, streams, embeddings, errors, cut and abandoned streams. */
class OpenAiJavaAppTest extends AppContractTest {
  @Override
  String app() { return "openai-java"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat gpt-4o-mini", 3L, "embeddings text-embedding-3-small", 1L, "chat sim-429", 1L,
        "chat sim-500", 1L, "chat sim-truncated", 1L, "chat sim-slow", 1L, "chat sim-long", 1L);
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
