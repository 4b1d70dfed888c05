package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import dev.llmotel.it.simulator.BedrockRoutes;
import dev.llmotel.it.simulator.OpenAiPayloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * This jar as an extension of the OpenTelemetry Java agent (2.33.1 from Maven Central): {@code
 * -javaagent:opentelemetry-javaagent.jar -Dotel.javaagent.extensions=llm-otel-agent-extension.jar}, with the
 * openai-java app. Our LLM spans go out through that agent's SDK and exporter (its resource, its scope beside its own),
 * no second SDK or exporter of ours, no LLM span twice: that agent's openai-java instrumentation is off by default, and
 * on again when the user says so. With the aws-bedrock app, the other way round: that agent's Bedrock span is each
 * call's one GenAI span (it sees the async stream we do not), ours step aside, and tokens are counted once in the
 * traces and the metrics; when the user turns that agent's Bedrock instrumentation off, ours are the GenAI spans.
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
          .jvmArg("-Dotel.javaagent.extensions=" + TestArtifacts.requireExtensionJar())
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

  private static final String BEDROCK_APP = "aws-bedrock";
  private static final String HOST_BEDROCK_OFF = "-Dotel.instrumentation.aws-sdk-2.2-bedrock-runtime.enabled=false";

  /** The aws-bedrock app under the official agent with this jar as its extension, metrics every 250 ms. */
  private static Run bedrockRun(Jdk jdk, OtlpReceiver receiver, String... jvmArgs) throws Exception {
    try (LlmSimulator simulator = LlmSimulator.start()) {
      AgentJvm jvm = AgentJvm.app(jdk, TestArtifacts.appJar(BEDROCK_APP)).timeout(Duration.ofSeconds(120))
          .jvmArg("-javaagent:" + officialAgent())
          .jvmArg("-Dotel.javaagent.extensions=" + TestArtifacts.requireExtensionJar())
          .env(AgentJvm.agentEnvironment(receiver.endpoint(), AppLaunch.serviceName(BEDROCK_APP)))
          .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_METRIC_EXPORT_INTERVAL", "250")
          .args(simulator.baseUrl());
      for (String arg : jvmArgs) jvm.jvmArg(arg);
      JvmRun result = jvm.run();
      // the host agent flushes its spans and metrics as the JVM exits; give the last export a moment to land
      receiver.awaitSpans(s -> s.has("gen_ai.operation.name"), 5, Duration.ofSeconds(5));
      Thread.sleep(500);
      return new Run(result, receiver.awaitSpans(s -> true, 0, Duration.ZERO));
    }
  }

  private static String bedrockPlainOutput(Jdk jdk) throws Exception {
    try (LlmSimulator simulator = LlmSimulator.start()) {
      return AgentJvm.app(jdk, TestArtifacts.appJar(BEDROCK_APP)).timeout(Duration.ofSeconds(90))
          .args(simulator.baseUrl()).run().stdout();
    }
  }

  /** The input token counts of the spans that carry usage, sorted: one entry per span. */
  private static List<Long> inputTokensOfSpansWithUsage(List<ReceivedSpan> spans) {
    List<Long> tokens = new ArrayList<>();
    for (ReceivedSpan s : spans) {
      if (s.has("gen_ai.usage.input_tokens") || s.has("gen_ai.usage.output_tokens")) {
        tokens.add((Long) s.attr("gen_ai.usage.input_tokens"));
      }
    }
    tokens.sort(null);
    return tokens;
  }

  /** Every {@code gen_ai.client.token.usage} series of every scope summed per model and token type. */
  private static Map<String, String> tokenTotals(OtlpReceiver receiver) {
    Map<String, long[]> totals = new TreeMap<>();
    for (HistogramPoint p : receiver.histogramSeries(MetricsExportTest.TOKEN_USAGE)) {
      long[] t = totals.computeIfAbsent(TelemetryRun.modelAndTokenType(p), k -> new long[2]);
      t[0] += p.count();
      t[1] += p.sum().longValue();
    }
    Map<String, String> out = new TreeMap<>();
    totals.forEach((k, t) -> out.put(k, t[0] + " calls, " + t[1] + " tokens"));
    return out;
  }

  /** {@code gen_ai.client.operation.duration}: how many calls every scope recorded, per request model. */
  private static Map<String, Long> durationCalls(OtlpReceiver receiver) {
    Map<String, Long> calls = new TreeMap<>();
    for (HistogramPoint p : receiver.histogramSeries(MetricsExportTest.DURATION)) {
      calls.merge(String.valueOf(p.attr("gen_ai.request.model")), p.count(), Long::sum);
    }
    return calls;
  }

  private static String metricsDump(OtlpReceiver receiver) {
    return receiver.histogramSeries(MetricsExportTest.TOKEN_USAGE) + "\n"
        + receiver.histogramSeries(MetricsExportTest.DURATION);
  }

  /**
   * The rule by default: the official agent's AWS SDK instrumentation records each Bedrock call (the three Converse /
   * InvokeModel calls and the throttled one on the blocking Apache client, the ConverseStream on the async Netty
   * client) as a GenAI span of its own, and ours record none of them: exactly one GenAI span per call, exactly one span
   * with {@code gen_ai.usage.*} per successful call, and the token metrics of all scopes sum to the simulator's
   * counts once.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void eachBedrockCallIsOneGenAiSpanWithItsTokensCountedOnce(Jdk jdk) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      Run run = bedrockRun(jdk, receiver);
      String dump = run.dump() + "\nmetrics:\n" + metricsDump(receiver);
      assertEquals(0, run.jvm().exitCode(), dump);
      assertEquals(bedrockPlainOutput(jdk), run.jvm().stdout(), "the app's output is its own");
      List<ReceivedSpan> genAi = run.spans().stream().filter(s -> s.has("gen_ai.operation.name")).toList();
      Map<String, Long> perModel = genAi.stream().collect(Collectors.groupingBy(
          s -> String.valueOf(s.attr("gen_ai.request.model")), TreeMap::new, Collectors.counting()));
      long input = BedrockRoutes.INPUT_TOKENS + BedrockRoutes.TOOL_INPUT_TOKENS + BedrockRoutes.INVOKE_INPUT_TOKENS
          + BedrockRoutes.STREAM_INPUT_TOKENS;
      long output = BedrockRoutes.OUTPUT_TOKENS + BedrockRoutes.TOOL_OUTPUT_TOKENS
          + BedrockRoutes.INVOKE_OUTPUT_TOKENS + BedrockRoutes.STREAM_OUTPUT_TOKENS;
      assertAll(dump,
          () -> assertEquals(Map.of(BedrockRoutes.MODEL, 4L, BedrockRoutes.THROTTLED, 1L), perModel,
              "one GenAI span per Bedrock call"),
          () -> assertEquals(List.of((long) BedrockRoutes.STREAM_INPUT_TOKENS, (long) BedrockRoutes.INVOKE_INPUT_TOKENS,
              (long) BedrockRoutes.INPUT_TOKENS, (long) BedrockRoutes.TOOL_INPUT_TOKENS),
              inputTokensOfSpansWithUsage(run.spans()), "one span with gen_ai.usage.* per successful call"),
          () -> assertTrue(run.ours().isEmpty(), "ours leave the AWS SDK's Bedrock calls to the host: " + run.ours()),
          () -> assertEquals(Map.of(BedrockRoutes.MODEL + "/input", "4 calls, " + input + " tokens",
              BedrockRoutes.MODEL + "/output", "4 calls, " + output + " tokens"), tokenTotals(receiver),
              "token metrics, all scopes: the simulator's counts once"),
          () -> assertEquals(Map.of(BedrockRoutes.MODEL, 4L, BedrockRoutes.THROTTLED, 1L), durationCalls(receiver),
              "one operation duration per call"),
          () -> assertFalse(run.jvm().stderr().contains("[llm-otel-agent] WARN"), run.jvm().stderr()));
    }
  }

  /**
   * The user's explicit setting wins: with the official agent's Bedrock instrumentation turned off, its AWS SDK span
   * of each call stays a plain RPC span and ours are the GenAI spans of the calls we see (the blocking client's; the
   * async Netty stream then has none, as the README says), again once each in traces and metrics.
   */
  @org.junit.jupiter.api.Test
  void withTheHostsBedrockInstrumentationTurnedOffOursAreTheGenAiSpans() throws Exception {
    Jdk jdk = Jdk.current();
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      Run run = bedrockRun(jdk, receiver, HOST_BEDROCK_OFF);
      String dump = run.dump() + "\nmetrics:\n" + metricsDump(receiver);
      assertEquals(0, run.jvm().exitCode(), dump);
      long input = BedrockRoutes.INPUT_TOKENS + BedrockRoutes.TOOL_INPUT_TOKENS + BedrockRoutes.INVOKE_INPUT_TOKENS;
      long output = BedrockRoutes.OUTPUT_TOKENS + BedrockRoutes.TOOL_OUTPUT_TOKENS + BedrockRoutes.INVOKE_OUTPUT_TOKENS;
      assertAll(dump,
          () -> assertTrue(run.theirGenAi().isEmpty(), "the host's Bedrock GenAI spans are off: " + run.theirGenAi()),
          () -> assertTrue(run.spans().stream().anyMatch(s -> s.scopeName().startsWith("io.opentelemetry.aws-sdk")),
              "the host still traces the AWS SDK calls themselves"),
          () -> assertEquals(Map.of("chat " + BedrockRoutes.MODEL, 3L, "chat " + BedrockRoutes.THROTTLED, 1L),
              countByName(run.ours())),
          () -> assertEquals(List.of((long) BedrockRoutes.INVOKE_INPUT_TOKENS, (long) BedrockRoutes.INPUT_TOKENS,
              (long) BedrockRoutes.TOOL_INPUT_TOKENS), inputTokensOfSpansWithUsage(run.spans())),
          () -> assertEquals(Map.of(BedrockRoutes.MODEL + "/input", "3 calls, " + input + " tokens",
              BedrockRoutes.MODEL + "/output", "3 calls, " + output + " tokens"), tokenTotals(receiver)),
          () -> assertEquals(Map.of(BedrockRoutes.MODEL, 3L, BedrockRoutes.THROTTLED, 1L), durationCalls(receiver)));
    }
  }

  private static Map<String, Long> countByName(List<ReceivedSpan> spans) {
    return spans.stream().collect(Collectors.groupingBy(ReceivedSpan::name, TreeMap::new, Collectors.counting()));
  }
}
