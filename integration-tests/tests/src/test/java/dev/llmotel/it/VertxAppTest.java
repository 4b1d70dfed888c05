package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vert.x 5 on the event loop: a chat through WebClient {@code sendJson}, an SSE stream read chunk by chunk through the
 * HttpClient's handler, a stream the app resets after two events, a 429 through WebClient.
 */
class VertxAppTest extends AppContractTest {
  @Override
  String app() { return "vertx"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat gpt-4o-mini", 2L, "chat sim-long", 1L, "chat sim-429", 1L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void webClientChat(Jdk jdk) {
    checkPlainChat(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamReadChunkByChunk(Jdk jdk) {
    checkStreamWithUsage(jdk);
  }

  /** Reset after two events of twenty: abandoned, with what the app had read, ended when the app reset it. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamResetByTheApp(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-long", named("chat sim-long"));
    long total = LlmSimulator.LONG_STREAM_PIECES + 2;
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertEquals("abandoned", s.attr(OUTCOME)),
        () -> {
          Object chunks = s.attr(CHUNKS);
          assertInstanceOf(Long.class, chunks, "llmotel.stream.chunks");
          assertTrue((Long) chunks >= 2 && (Long) chunks < total,
              "the app read 2 of " + total + " chunks before resetting; span says " + chunks);
        },
        () -> assertTrue(s.durationSeconds() < total * LlmSimulator.SLOW_GAP_MILLIS / 1000.0 / 2,
            "the span must end when the app resets the stream, not when the server would have finished: "
                + s.durationSeconds() + " s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void rateLimited(Jdk jdk) {
    assertHttpError(run(jdk).single("chat sim-429", named("chat sim-429")), 429, "rate_limit_exceeded");
  }
}
