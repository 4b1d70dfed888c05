package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.named;
import static dev.llmotel.it.simulator.BedrockRoutes.INPUT_TOKENS;
import static dev.llmotel.it.simulator.BedrockRoutes.INVOKE_INPUT_TOKENS;
import static dev.llmotel.it.simulator.BedrockRoutes.INVOKE_OUTPUT_TOKENS;
import static dev.llmotel.it.simulator.BedrockRoutes.MODEL;
import static dev.llmotel.it.simulator.BedrockRoutes.OUTPUT_TOKENS;
import static dev.llmotel.it.simulator.BedrockRoutes.THROTTLED;
import static dev.llmotel.it.simulator.BedrockRoutes.TOOL_INPUT_TOKENS;
import static dev.llmotel.it.simulator.BedrockRoutes.TOOL_OUTPUT_TOKENS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.RecordedRequest;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AWS SDK for Java v2 Bedrock Runtime client ({@code software.amazon.awssdk:bedrockruntime} 2.59.1) on its Apache
 * HttpClient 4 transport against the simulator's Bedrock routes: the Apache HC 4 hook's woven advice and the Bedrock
 * dialect together in a real JVM. Converse, a tool-use Converse, InvokeModel with an Anthropic Messages body and a
 * throttled Converse are one span each, checked attribute by attribute; the SigV4 signing material stays out of the
 * telemetry; the ConverseStream the app sends through the async (Netty) client, which the agent does not hook, works
 * unchanged and gets neither a span nor a {@code traceparent}. A second run with metrics on checks the token sums.
 */
class AwsBedrockAppTest extends AppContractTest {
  static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String CONVERSE_STREAM = "/converse-stream";

  @Override
  String app() { return "aws-bedrock"; }

  /** The app is compiled for Java 8: every test here also runs it on a JDK 8 where one is installed. */
  static List<Jdk> jdks() { return Java8Apps.jdks(); }

  @Test
  void java8Run() throws Exception {
    Java8Apps.assumeJava8Run(app());
  }

  @Override
  String providerName() { return "aws.bedrock"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("chat " + MODEL, 3L, "chat " + THROTTLED, 1L);
  }

  /** The ConverseStream goes out through Netty, which the agent does not hook. */
  @Override
  boolean observedRequest(RecordedRequest request) {
    return !request.path().endsWith(CONVERSE_STREAM);
  }

  private static Predicate<ReceivedSpan> tokens(long input) {
    return s -> Long.valueOf(input).equals(s.attr("gen_ai.usage.input_tokens"));
  }

  private Map<String, Object> common(Jdk jdk, String model) {
    Map<String, Object> a = new TreeMap<>();
    a.put("gen_ai.operation.name", "chat");
    a.put("gen_ai.provider.name", "aws.bedrock");
    a.put("gen_ai.request.model", model);
    a.put("gen_ai.request.max_tokens", 256L);
    a.put("server.address", "127.0.0.1");
    a.put("server.port", (long) run(jdk).simulatorPort());
    return a;
  }

  /** A successful call: Bedrock echoes no model, so the response model is the model id; no cache counts are sent. */
  private Map<String, Object> success(Jdk jdk, String finishReason, long input, long output) {
    Map<String, Object> a = common(jdk, MODEL);
    a.put("gen_ai.response.model", MODEL);
    a.put("gen_ai.response.finish_reasons", List.of(finishReason));
    a.put("gen_ai.usage.input_tokens", input);
    a.put("gen_ai.usage.output_tokens", output);
    a.put("http.response.status_code", 200L);
    return a;
  }

  private static void assertExactly(ReceivedSpan s, Map<String, Object> expected, Status.StatusCode status) {
    Map<String, Object> actual = new TreeMap<>(s.attributes());
    assertAll(s.toString(),
        () -> assertEquals(new TreeMap<>(expected), actual),
        () -> assertEquals(status, s.statusCode()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void converse(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("converse", named("chat " + MODEL).and(tokens(INPUT_TOKENS)));
    assertExactly(s, success(jdk, "stop", INPUT_TOKENS, OUTPUT_TOKENS), Status.StatusCode.STATUS_CODE_UNSET);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void toolUseConverse(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("tool-use converse", named("chat " + MODEL).and(tokens(TOOL_INPUT_TOKENS)));
    assertExactly(s, success(jdk, "tool_call", TOOL_INPUT_TOKENS, TOOL_OUTPUT_TOKENS),
        Status.StatusCode.STATUS_CODE_UNSET);
  }

  /** InvokeModel's body is Anthropic's Messages shape: its id, stop reason and usage. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void invokeModelWithAnAnthropicBody(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("invoke model", named("chat " + MODEL).and(tokens(INVOKE_INPUT_TOKENS)));
    Map<String, Object> a = success(jdk, "stop", INVOKE_INPUT_TOKENS, INVOKE_OUTPUT_TOKENS);
    a.put("gen_ai.response.id", "msg_bdrk_sim1");
    assertExactly(s, a, Status.StatusCode.STATUS_CODE_UNSET);
  }

  /** The 429's {@code x-amzn-ErrorType} names the error; the SDK does not retry (retries are off in the app). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void throttled(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("throttled", named("chat " + THROTTLED));
    Map<String, Object> a = common(jdk, THROTTLED);
    a.put("http.response.status_code", 429L);
    a.put("error.type", "ThrottlingException");
    assertExactly(s, a, Status.StatusCode.STATUS_CODE_ERROR);
    assertEquals(1, run(jdk).requestsWithAgent().stream().filter(r -> r.path().contains("/" + THROTTLED + "/"))
        .count(), "one attempt only");
  }

  /**
   * Every request is SigV4-signed; the agent's {@code traceparent} is added after signing (it is not a signed header,
   * so real Bedrock accepts it), and no signing material (the key id, the secret, the Authorization, X-Amz-Date,
   * X-Amz-Security-Token or content hash values, the signature alone) appears in any exported span.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void noSigV4MaterialInTheSpans(Jdk jdk) {
    AppRun run = run(jdk);
    List<String> secrets = new ArrayList<>(List.of(ACCESS_KEY_ID, SECRET_KEY));
    for (RecordedRequest r : run.requestsWithAgent()) {
      List<String> authorization = r.header("authorization");
      assertEquals(1, authorization.size(), r.toString());
      String auth = authorization.get(0);
      assertAll(r.toString(),
          () -> assertTrue(auth.startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/"), auth),
          () -> assertFalse(auth.contains("traceparent"), "traceparent was signed: " + auth),
          () -> assertEquals(1, r.header("x-amz-date").size()));
      secrets.add(auth);
      secrets.add(auth.substring(auth.indexOf("Signature=") + "Signature=".length()));
      secrets.addAll(r.header("x-amz-date"));
      secrets.addAll(r.header("x-amz-security-token"));
      secrets.addAll(r.header("x-amz-content-sha256"));
    }
    assertEquals(5, run.requestsWithAgent().size(), run.requestsWithAgent().toString());
    for (ReceivedSpan s : run.exported()) {
      String text = s.protoText();
      for (String secret : secrets) {
        assertFalse(text.contains(secret), "signing material '" + secret + "' in telemetry: " + text);
      }
    }
  }

  /** ConverseStream through the Netty async client: the app's output is the same (checked above), no span, no header. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void converseStreamOnTheUnhookedNettyClientIsLeftAlone(Jdk jdk) {
    AppRun run = run(jdk);
    List<RecordedRequest> streams = run.requestsWithAgent().stream().filter(r -> !observedRequest(r)).toList();
    assertEquals(1, streams.size(), run.requestsWithAgent().toString());
    RecordedRequest stream = streams.get(0);
    assertAll(stream.toString(),
        () -> assertEquals(List.of(), stream.header("traceparent")),
        () -> assertTrue(stream.header("user-agent").get(0).contains("md/http#NettyNio"), stream.headers().toString()),
        () -> assertTrue(stream.responseCompleted()),
        () -> assertEquals(8, stream.chunksSent()),
        () -> assertTrue(run.plain().stdout().contains("text: Red, green and blue.\n"), run.plain().stdout()));
    for (RecordedRequest r : run.requestsWithAgent()) {
      if (observedRequest(r)) {
        assertTrue(r.header("user-agent").get(0).contains("md/http#Apache"), r.headers().toString());
      }
    }
  }

  /** Token usage per request model: the three successful calls; the throttled call reports none. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void tokenUsageMetrics(Jdk jdk) {
    TelemetryRun run = TelemetryScenarios.awsBedrockWithMetrics(jdk);
    assertEquals(0, run.jvm().exitCode(), run.describe());
    List<HistogramPoint> points = run.receiver("otlp").histogramSeries(MetricsExportTest.TOKEN_USAGE);
    Map<String, String> sums = TelemetryRun.tokenSums(run.receiver("otlp"), TelemetryRun::modelAndTokenType);
    assertEquals(Map.of(
        MODEL + "/input", "3 calls, " + (INPUT_TOKENS + TOOL_INPUT_TOKENS + INVOKE_INPUT_TOKENS) + " tokens",
        MODEL + "/output", "3 calls, " + (OUTPUT_TOKENS + TOOL_OUTPUT_TOKENS + INVOKE_OUTPUT_TOKENS) + " tokens"),
        sums, points + "\n" + run.describe());
    for (HistogramPoint p : points) assertEquals("aws.bedrock", p.attr("gen_ai.provider.name"), p.toString());
    List<HistogramPoint> durations = run.receiver("otlp").histogramSeries(MetricsExportTest.DURATION);
    assertAll(run.describe(),
        () -> assertEquals(Set.of(MODEL, THROTTLED),
            Set.copyOf(durations.stream().map(p -> p.attr("gen_ai.request.model")).toList()), durations.toString()),
        () -> assertEquals(3, MetricsExportTest.only(durations, MODEL).count()),
        () -> assertEquals("ThrottlingException", MetricsExportTest.only(durations, THROTTLED).attr("error.type")));
  }
}
