package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Apache HttpClient 5.6 (the HC 5 hook's two advice in a real JVM): with the classic client ({@code execute} with a
 * response handler, {@code execute} with the response held and closed after two events) and with the async one
 * ({@code SimpleHttpRequest}, a streaming {@code AbstractCharResponseConsumer}, a future cancelled after two events),
 * each: a chat, a stream with usage, an abandoned stream and a 429. The app asks for {@code max_tokens} 64 on the
 * classic client and 128 on the async one, which tells the spans apart.
 */
class ApacheHttpClient5AppTest extends AppContractTest {
  static final long CLASSIC = 64;
  static final long ASYNC = 128;

  @Override
  String app() { return "apache-httpclient-5"; }

  /** The app is compiled for Java 8: every test here also runs it on a JDK 8 where one is installed. */
  static List<Jdk> jdks() { return Java8Apps.jdks(); }

  @Test
  void java8Run() throws Exception {
    Java8Apps.assumeJava8Run(app());
  }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat gpt-4o-mini", 4L, "chat sim-long", 2L, "chat sim-429", 2L);
  }

  static Stream<Arguments> jdksAndClients() {
    return jdks().stream().flatMap(jdk -> Stream.of(Arguments.of(jdk, "classic"), Arguments.of(jdk, "async")));
  }

  private static Predicate<ReceivedSpan> client(String client) {
    long maxTokens = client.equals("classic") ? CLASSIC : ASYNC;
    return s -> Long.valueOf(maxTokens).equals(s.attr("gen_ai.request.max_tokens"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndClients")
  void chat(Jdk jdk, String client) {
    ReceivedSpan s = run(jdk).single(client + " chat gpt-4o-mini, not streamed",
        named("chat gpt-4o-mini").and(streamed().negate()).and(client(client)));
    assertSuccessfulChat(s);
    assertFullUsage(s);
    assertNotStreamed(s);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndClients")
  void stream(Jdk jdk, String client) {
    ReceivedSpan s = run(jdk).single(client + " chat gpt-4o-mini, streamed",
        named("chat gpt-4o-mini").and(streamed()).and(client(client)));
    assertSuccessfulChat(s);
    assertFullUsage(s);
    assertCompletedStream(s, CHOICE_CHUNKS);
  }

  /**
   * The classic app closes the response after two events (HttpClient then drains the rest itself, unseen), the async
   * one cancels its future: abandoned, when the app gave up, with the chunks it got by then.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndClients")
  void abandonedStream(Jdk jdk, String client) {
    ReceivedSpan s = run(jdk).single(client + " chat sim-long", named("chat sim-long").and(client(client)));
    long total = LlmSimulator.LONG_STREAM_PIECES + 2;
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals("abandoned", s.attr(OUTCOME)),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> {
          Object chunks = s.attr(CHUNKS);
          assertInstanceOf(Long.class, chunks, "llmotel.stream.chunks");
          assertTrue((Long) chunks >= 2 && (Long) chunks < total,
              "the app read 2 of " + total + " chunks before giving up; span says " + chunks);
        },
        () -> assertTrue(s.durationSeconds() < total * LlmSimulator.SLOW_GAP_MILLIS / 1000.0 / 2,
            "the span must end when the app gives up, not when the server would have finished: "
                + s.durationSeconds() + " s"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndClients")
  void rateLimited(Jdk jdk, String client) {
    assertHttpError(run(jdk).single(client + " chat sim-429", named("chat sim-429").and(client(client))), 429,
        "rate_limit_exceeded");
  }
}
