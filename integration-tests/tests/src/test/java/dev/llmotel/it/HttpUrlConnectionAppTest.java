package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java.net.HttpURLConnection}, a JDK class loaded before the agent and woven in place: chat JSON, a stream
 * read line by line the way Spring's {@code SimpleClientHttpRequestFactory} drives a connection, a long stream closed
 * after two lines, and a 429 whose body the app reads through {@code getErrorStream()} after {@code getInputStream()}
 * threw. Once more with the class already loaded when the agent starts, which the installer then retransforms.
 */
class HttpUrlConnectionAppTest extends AppContractTest {
  @Override
  String app() { return "http-url-connection"; }

  /** The app is compiled for Java 8: every test here also runs it on a JDK 8 where one is installed. */
  static List<Jdk> jdks() { return Java8Apps.jdks(); }

  @Test
  void java8Run() throws Exception {
    Java8Apps.assumeJava8Run(app());
  }

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

  /**
   * Another agent ({@code app.jar} itself, through {@code JAVA_TOOL_OPTIONS}, which the JVM reads before the command
   * line) loads the JDK's connection class before the LLM agent starts: the installer retransforms it while it
   * installs the hooks, and the app's calls are traced as in the plain run.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void theClassLoadedBeforeTheAgentIsRetransformed(Jdk jdk) throws Exception {
    AppRun reference = run(jdk);
    Path appJar = TestArtifacts.appJar(app());
    JvmRun result;
    List<ReceivedSpan> spans;
    try (LlmSimulator simulator = LlmSimulator.start(); OtlpReceiver receiver = OtlpReceiver.start()) {
      result = AgentJvm.app(jdk, appJar)
          .agent(TestArtifacts.requireAgentJar())
          .env(AgentJvm.agentEnvironment(receiver.endpoint(), AppLaunch.serviceName(app())))
          .env("JAVA_TOOL_OPTIONS", "-javaagent:" + appJar)
          .env("OTEL_JAVAAGENT_DEBUG", "true")
          .args(simulator.baseUrl())
          .timeout(Duration.ofSeconds(90))
          .run();
      spans = receiver.awaitSpans(s -> true, 4, OtlpReceiver.DEFAULT_WAIT);
    }
    String stderr = result.stderr();
    int loaded = stderr.indexOf("loaded before the agent: sun.net.www.protocol.http.HttpURLConnection");
    int woven = stderr.indexOf("instrumented sun.net.www.protocol.http.HttpURLConnection");
    int installed = stderr.indexOf("hooks installed");
    Map<String, Long> exported = spans.stream()
        .collect(Collectors.groupingBy(ReceivedSpan::name, TreeMap::new, Collectors.counting()));
    assertAll(result.describe(),
        () -> assertEquals(0, result.exitCode()),
        () -> assertEquals(reference.plain().stdout(), result.stdout(), "the app's output"),
        () -> assertTrue(loaded >= 0, "the class was loaded first"),
        () -> assertTrue(loaded < woven && woven < installed,
            "retransformed while the hooks were installed, not woven at a later load"),
        () -> assertEquals(new TreeMap<>(expectedSpans()), exported, "the same spans"));
  }
}
