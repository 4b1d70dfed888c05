package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import dev.llmotel.it.simulator.OpenAiPayloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * This jar as an extension of the OpenTelemetry Java agent (2.33.1 from Maven Central):
 * {@code -javaagent:opentelemetry-javaagent.jar -Dotel.javaagent.extensions=llm-otel-agent.jar}, with the openai-java
 * app. Our LLM spans go out through that agent's SDK and exporter (its resource, its scope beside its own), no second
 * SDK or exporter of ours, no LLM span twice: that agent's openai-java instrumentation is off by default, and on
 * again when the user says so.
 */
class OfficialAgentExtensionTest {
  private static final String APP = "openai-java";
  private static final String OUR_SCOPE = "llm-otel-agent";
  /** The LLM spans of one run of the app, by name, as OpenAiJavaAppTest counts them. */
  private static final Map<String, Long> LLM_SPANS = new TreeMap<>(OpenAiJavaAppTest.SPANS);

  static List<Jdk> jdks() { return Jdk.all(); }

  private static Path officialAgent() {
    Path jar = Path.of(System.getProperty("official.agent.jar", "target/official-agent/opentelemetry-javaagent.jar"));
    assertTrue(Files.isRegularFile(jar), "the OpenTelemetry Java agent is copied by the pom to " + jar);
    return jar;
  }

  private record Run(JvmRun jvm, List<ReceivedSpan> spans) {
    List<ReceivedSpan> ours() { return spans.stream().filter(s -> s.scopeName().equals(OUR_SCOPE)).toList(); }

    List<ReceivedSpan> theirGenAi() {
      return spans.stream().filter(s -> !s.scopeName().equals(OUR_SCOPE) && s.has("gen_ai.operation.name")).toList();
    }

    String dump() {
      return spans.stream().map(s -> "  " + s.scopeName() + " " + s).collect(Collectors.joining("\n"))
          + "\nstderr:\n" + jvm.stderr();
    }
  }

  /** @param ours how many of our spans to wait for (up to 15 s) */
  private static Run run(Jdk jdk, boolean theirOpenAiJava, long ours) throws Exception {
    Path app = TestArtifacts.appJar(APP);
    try (LlmSimulator simulator = LlmSimulator.start(); OtlpReceiver receiver = OtlpReceiver.start()) {
      AgentJvm jvm = AgentJvm.app(jdk, app).timeout(Duration.ofSeconds(120))
          .jvmArg("-javaagent:" + officialAgent())
          .jvmArg("-Dotel.javaagent.extensions=" + TestArtifacts.requireAgentJar())
          .env(AgentJvm.agentEnvironment(receiver.endpoint(), AppLaunch.serviceName(APP)))
          .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
          .args(simulator.baseUrl(), "retries");
      if (theirOpenAiJava) jvm.jvmArg("-Dotel.instrumentation.openai-java.enabled=true");
      JvmRun result = jvm.run();
      receiver.awaitSpans(s -> s.scopeName().equals(OUR_SCOPE), (int) ours, OtlpReceiver.DEFAULT_WAIT);
      Thread.sleep(500); // the host agent's own spans of the same calls, exported in the same batches or just after
      return new Run(result, receiver.awaitSpans(s -> true, 0, Duration.ZERO));
    }
  }

  private static String plainOutput(Jdk jdk) throws Exception {
    try (LlmSimulator simulator = LlmSimulator.start()) {
      return AgentJvm.app(jdk, TestArtifacts.appJar(APP)).timeout(Duration.ofSeconds(90))
          .args(simulator.baseUrl(), "retries").run().stdout();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void ourLlmSpansGoOutThroughTheOfficialAgentsSdkOncePerCall(Jdk jdk) throws Exception {
    Run run = run(jdk, false, LLM_SPANS.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(0, run.jvm().exitCode(), run.dump());
    assertEquals(plainOutput(jdk), run.jvm().stdout(), "the app's output is its own");
    assertEquals(LLM_SPANS, countByName(run.ours()), run.dump());
    ReceivedSpan chat = run.ours().stream().filter(s -> s.name().equals("chat gpt-4o-mini")
        && s.has("gen_ai.usage.input_tokens")).findFirst().orElseThrow();
    assertAll(run.dump(),
        () -> assertEquals("openai", chat.attr("gen_ai.provider.name")),
        () -> assertEquals(OpenAiPayloads.CHAT_RESPONSE_MODEL, chat.attr("gen_ai.response.model")),
        () -> assertEquals(AppLaunch.serviceName(APP), chat.serviceName()),
        () -> assertEquals("opentelemetry-java-instrumentation", chat.resourceAttr("telemetry.distro.name"),
            "the resource is the official agent's: our spans went through its SDK"),
        () -> assertTrue(run.theirGenAi().isEmpty(), "no GenAI span of the official agent's: " + run.theirGenAi()),
        () -> assertTrue(run.spans().stream().anyMatch(s -> s.scopeName().startsWith("io.opentelemetry.okhttp")),
            "the official agent still traces the HTTP calls themselves"),
        () -> assertFalse(run.jvm().stderr().contains("[llm-otel-agent] WARN"), run.jvm().stderr()));
  }

  /** A configuration rule, not a JVM matter: on the JDK running the tests only. */
  @org.junit.jupiter.api.Test
  void theOfficialOpenAiJavaInstrumentationComesBackWhenTheUserTurnsItOn() throws Exception {
    Run run = run(Jdk.current(), true, 4);
    assertEquals(0, run.jvm().exitCode(), run.dump());
    assertFalse(run.theirGenAi().isEmpty(), "their openai-java spans, asked for: " + run.dump());
    // both kinds, as asked; with their openai-java wrapper around the SDK's streams, an abandoned or retried stream
    // may end for us only at exit (see the README's extension section), so only the plain calls are counted here
    Map<String, Long> ours = countByName(run.ours());
    assertEquals(3L, ours.get("chat gpt-4o-mini"), run.dump());
    assertEquals(1L, ours.get("embeddings text-embedding-3-small"), run.dump());
  }

  private static Map<String, Long> countByName(List<ReceivedSpan> spans) {
    return spans.stream().collect(Collectors.groupingBy(ReceivedSpan::name, TreeMap::new, Collectors.counting()));
  }
}
