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
 * {@code java.net.HttpURLConnection}, a JDK class loaded before the agent and woven in place: chat JSON, a stream
 * read line by line the way Spring's {@code SimpleClientHttpRequestFactory} drives a connection, a long stream closed
 * after two lines, and a 429 whose body the app reads through {@code getErrorStream()} after {@code getInputStream()}
 * threw.
 */
class HttpUrlConnectionAppTest extends AppContractTest {
  @Override
  String app() { return "http-url-connection"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat gpt-4o-mini", 2L, "chat sim-long", 1L, "chat sim-429", 1L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chat(Jdk jdk) {
    checkPlainChat(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamReadLineByLine(Jdk jdk) {
    checkStreamWithUsage(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamClosedAfterTwoLinesIsAbandoned(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-long", named("chat sim-long"));
    long total = LlmSimulator.LONG_STREAM_PIECES + 2;
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals("abandoned", s.attr(OUTCOME)),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
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

  /** getInputStream() threw for the 429, the app read the error body: one span, ended once, with the error. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void rateLimitedReadThroughTheErrorStream(Jdk jdk) {
    assertHttpError(run(jdk).single("chat sim-429", named("chat sim-429")), 429, "rate_limit_exceeded");
  }
}
