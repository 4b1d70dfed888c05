package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.otlp.ReceiverBehaviour;
import dev.llmotel.it.simulator.LlmSimulator;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Retries as one logical call, in real JVMs: the simulator answers {@code sim-flaky-mixed} with a 429, then a 500,
 * then the answer, and the library retries both. anthropic-java ({@code maxRetries(2)}: a message and a streamed
 * message, blocking and through {@code client.async()}) and Spring AI 1 (Boot's retry template at three attempts, 429 included: an OpenAI and an Anthropic
 * {@code ChatModel.call}). Each call is one logical span ({@code llmotel.retry.count=2}) with one child span per HTTP
 * attempt (429, 500, 200); the tokens and the cost are on the answering attempt only, and the metrics count each
 * call once: one {@code gen_ai.client.operation.duration} and one token record per type per logical call. The app's
 * output is the same without the agent.
 */
class RetriedCallsAppTest {
  private static final String FLAKY = LlmSimulator.MIXED_FLAKY_MODEL;
  private static final String SCOPE = "llm-otel-agent";
  private static final String RETRY_COUNT = "llmotel.retry.count";
  private static final String STATUS = "http.response.status_code";
  private static final String INPUT = "gen_ai.usage.input_tokens";
  private static final String OUTPUT = "gen_ai.usage.output_tokens";

  static List<Jdk> jdks() { return Jdk.all(); }

  static TelemetryRun run(Jdk jdk, String app, String mode) {
    String name = app + " " + mode + " (429, 500, 200), metrics every 250 ms";
    return TelemetryRun.cached(name, jdk, () -> {
      OtlpReceiver otlp;
      try {
        otlp = OtlpReceiver.start(ReceiverBehaviour.plainOtlp());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return TelemetryScenario.app(name, jdk, app).receiver(otlp)
          .env(AgentJvm.agentEnvironment(otlp.endpoint(), AppLaunch.serviceName(app)))
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_METRIC_EXPORT_INTERVAL", "250")
          .appArgs(mode)
          .expectSpans(8, "otlp")
          .run();
    });
  }

  private static String plainOutput(Jdk jdk, String app, String mode) throws Exception {
    try (LlmSimulator simulator = LlmSimulator.start()) {
      return AgentJvm.app(jdk, TestArtifacts.appJar(app)).timeout(Duration.ofSeconds(90))
          .args(simulator.baseUrl(), mode).run().stdout();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void anthropicJavaRetriedMessageAndStreamAreOneLogicalCallEach(Jdk jdk) throws Exception {
    check(jdk, "anthropic-java", "retries");
  }

  /**
   * anthropic-java's {@code client.async()} ({@code executeAsync}): the first attempt is queued from the application's
   * thread, the retries from the SDK's sleeper thread, and every attempt runs on OkHttp's dispatcher thread.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void anthropicJavaAsyncRetriedMessageAndStreamAreOneLogicalCallEach(Jdk jdk) throws Exception {
    check(jdk, "anthropic-java", "retries-async");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void springAi1RetryTemplateCallsAreOneLogicalCallEach(Jdk jdk) throws Exception {
    check(jdk, "spring-ai-1", "retries");
  }

  private static void check(Jdk jdk, String app, String mode) throws Exception {
    TelemetryRun run = run(jdk, app, mode);
    OtlpReceiver otlp = run.receiver("otlp");
    List<ReceivedSpan> ours = otlp.spans(s -> s.scopeName().equals(SCOPE));
    String dump = ours.stream().map(ReceivedSpan::toString).reduce("", (a, b) -> a + "\n  " + b) + "\n"
        + run.describe();
    assertEquals(0, run.jvm().exitCode(), dump);
    assertEquals(plainOutput(jdk, app, mode), run.jvm().stdout(), "the app's output is its own");
    assertEquals(6, run.simulatorRequests().stream().filter(r -> FLAKY.equals(r.model())).count(),
        "three HTTP attempts per call: " + run.simulatorRequests());

    List<ReceivedSpan> logical = ours.stream().filter(s -> s.has(RETRY_COUNT)).toList();
    assertEquals(2, logical.size(), "one logical span per call: " + dump);
    assertEquals(8, ours.size(), "two calls, each a logical span and three attempts: " + dump);
    long inputOnSpans = 0;
    long outputOnSpans = 0;
    for (ReceivedSpan call : logical) {
      List<ReceivedSpan> attempts = ours.stream().filter(s -> s.parentSpanId().equals(call.spanId()))
          .sorted(Comparator.comparingLong(s -> s.span().getStartTimeUnixNano())).toList();
      assertEquals(3, attempts.size(), dump);
      ReceivedSpan answered = attempts.get(2);
      assertAll(call + "\n" + attempts,
          () -> assertEquals(2L, call.attr(RETRY_COUNT)),
          () -> assertEquals(FLAKY, call.attr("gen_ai.request.model")),
          () -> assertEquals(true, call.attr("llmotel.usage.on_child_span")),
          () -> assertFalse(call.has(INPUT) || call.has(OUTPUT), "tokens once, on the attempt that got them"),
          () -> assertFalse(call.has(MetricsExportTest.COST), "cost once, on the attempt that got it"),
          () -> assertFalse(call.has("error.type"), "the call succeeded in the end"),
          () -> assertTrue(call.statusCode() != Status.StatusCode.STATUS_CODE_ERROR),
          () -> assertEquals(429L, attempts.get(0).attr(STATUS)),
          () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, attempts.get(0).statusCode()),
          () -> assertEquals(500L, attempts.get(1).attr(STATUS)),
          () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, attempts.get(1).statusCode()),
          () -> assertEquals(200L, answered.attr(STATUS)),
          () -> assertFalse(attempts.get(0).has(INPUT) || attempts.get(1).has(INPUT), "no usage on a rejection"),
          () -> assertTrue(answered.has(INPUT) && answered.has(OUTPUT), "usage on the answer"),
          () -> assertEquals(1L, attempts.get(1).attr("http.request.resend_count")),
          () -> assertEquals(2L, answered.attr("http.request.resend_count")),
          () -> assertTrue(call.span().getStartTimeUnixNano() <= attempts.get(0).span().getStartTimeUnixNano()),
          () -> assertTrue(call.span().getEndTimeUnixNano() >= answered.span().getEndTimeUnixNano()));
      inputOnSpans += (Long) answered.attr(INPUT);
      outputOnSpans += (Long) answered.attr(OUTPUT);
    }

    // metrics: each logical call once
    List<HistogramPoint> durations = otlp.histogramSeries(MetricsExportTest.DURATION);
    List<HistogramPoint> tokens = otlp.histogramSeries(MetricsExportTest.TOKEN_USAGE);
    long inputOnSpansTotal = inputOnSpans;
    long outputOnSpansTotal = outputOnSpans;
    String metrics = durations + "\n" + tokens + "\n" + otlp.histogramSeries(MetricsExportTest.COST) + "\n" + dump;
    assertAll(metrics,
        () -> assertEquals(2L, durations.stream().mapToLong(HistogramPoint::count).sum(), "one duration per call"),
        () -> assertTrue(durations.stream().allMatch(p -> FLAKY.equals(p.attr("gen_ai.request.model")))),
        () -> assertTrue(durations.stream().noneMatch(p -> p.has("error.type")), "the calls succeeded"),
        () -> assertEquals(2L, count(tokens, "input")),
        () -> assertEquals(2L, count(tokens, "output")),
        () -> assertEquals(inputOnSpansTotal, sum(tokens, "input")),
        () -> assertEquals(outputOnSpansTotal, sum(tokens, "output")));
    List<ReceivedSpan> costed = ours.stream().filter(s -> s.has(MetricsExportTest.COST)).toList();
    List<HistogramPoint> cost = otlp.histogramSeries(MetricsExportTest.COST);
    double costOnSpans = costed.stream().mapToDouble(s -> ((Number) s.attr(MetricsExportTest.COST)).doubleValue()).sum();
    assertAll(metrics,
        () -> assertEquals(2, costed.size(), "both calls answered by a priced model: cost on one span each"),
        () -> assertEquals(costed.size(), cost.stream().mapToLong(HistogramPoint::count).sum(), "cost once per call"),
        () -> assertEquals(costOnSpans, cost.stream().mapToDouble(p -> p.sum() == null ? 0 : p.sum()).sum(), 1e-12),
        () -> assertTrue(costed.stream().allMatch(s -> s.has(INPUT)), "cost only where the tokens are"));
  }

  private static long count(List<HistogramPoint> tokens, String type) {
    return tokens.stream().filter(p -> type.equals(p.attr("gen_ai.token.type"))).mapToLong(HistogramPoint::count).sum();
  }

  private static long sum(List<HistogramPoint> tokens, String type) {
    return tokens.stream().filter(p -> type.equals(p.attr("gen_ai.token.type")))
        .mapToLong(p -> p.sum().longValue()).sum();
  }
}
