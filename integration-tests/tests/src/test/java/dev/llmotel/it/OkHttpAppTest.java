package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Raw OkHttp 4.12: chat JSON, an SSE stream read line by line, a 50 MB body, a 429, and a dead OTLP backend. */
class OkHttpAppTest extends AppContractTest {
  @Override
  String app() { return "okhttp"; }

  /** The app is compiled for Java 8: every test here also runs it on a JDK 8 where one is installed. */
  static List<Jdk> jdks() { return Java8Apps.jdks(); }

  @Test
  void java8Run() throws Exception {
    Java8Apps.assumeJava8Run(app());
  }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat gpt-4o-mini", 2L, "chat sim-huge", 1L, "chat sim-429", 1L);
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

  /** The 50 MB completion still ends in its usage; the agent must get there without holding the body. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void hugeResponse(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-huge", named("chat sim-huge"));
    assertAll(s.toString(),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertEquals("chatcmpl-sim-huge", s.attr("gen_ai.response.id")),
        () -> assertEquals(11L, s.attr(INPUT_TOKENS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void rateLimited(Jdk jdk) {
    assertHttpError(run(jdk).single("chat sim-429", named("chat sim-429")), 429, "rate_limit_exceeded");
  }

  /** An unreachable OTLP endpoint changes nothing the app does and does not hold up its exit. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void deadOtlpBackend(Jdk jdk) throws Exception {
    AppRun reference = run(jdk);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    JvmRun dead;
    try (LlmSimulator simulator = LlmSimulator.start()) {
      dead = AgentJvm.app(jdk, TestArtifacts.appJar(app()))
          .agent(TestArtifacts.requireAgentJar())
          .env(AgentJvm.agentEnvironment("http://127.0.0.1:" + closedPort, AppLaunch.serviceName(app())))
          .env("OTEL_INSTRUMENTATION_LLM_SHUTDOWN_TIMEOUT_MILLIS", "1000") // the default exit budget
          .args(simulator.baseUrl())
          .timeout(Duration.ofSeconds(60))
          .run();
    }
    JvmRun result = dead;
    assertAll(result.describe(),
        () -> assertEquals(reference.plain().exitCode(), result.exitCode()),
        () -> assertEquals(reference.plain().stdout(), result.stdout()),
        () -> assertTrue(result.elapsed().compareTo(Duration.ofSeconds(20)) < 0,
            "took " + result.elapsed().toMillis() + " ms with a dead backend"));
  }
}
