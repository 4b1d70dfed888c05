package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LibreChatRoutes;
import dev.llmotel.it.simulator.RecordedRequest;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LibreChat v0.8 conversation turns driven over java.net.http ({@code apps/librechat}): one chat span per turn, from
 * the chat POST to the frame or status that ends it, under the app's span of that turn; login, refresh, streams,
 * status polls and aborts make no span of their own; no JWT, password or refresh cookie in any export. The idle
 * limit is 1.5 s here, so that the turn whose status stays active ends, marked, while the app still runs.
 */
class LibreChatAppTest extends AppContractTest {
  static final String IDLE_LIMIT = "-Dotel.instrumentation.llm.idle-timeout-millis=1500";

  @Override
  String app() { return "librechat"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.ofEntries(Map.entry("turn stream", 1L), Map.entry("turn no-final", 1L), Map.entry("turn poll", 1L),
        Map.entry("turn abort", 1L), Map.entry("turn refused", 1L), Map.entry("turn api-key", 1L),
        Map.entry("turn forever", 1L), Map.entry("chat gpt-4o-mini", 4L), Map.entry("chat sim-lc-nofinal", 1L),
        Map.entry("chat claude-sonnet-4-5", 1L), Map.entry("chat sim-lc-forever", 1L));
  }

  @Override
  AppRun run(Jdk jdk) {
    int total = expectedSpans().values().stream().mapToInt(Long::intValue).sum();
    return AppRuns.get(app(), jdk, () -> AppLaunch.of(app(), jdk).jvmArg(IDLE_LIMIT).expectSpans(total).run());
  }

  @Override
  String providerName(ReceivedSpan span) {
    return span.name().contains("claude") ? "anthropic" : "openai";
  }

  @Override
  boolean llmSpansAreRoots() { return false; }

  /** The requests that begin an LLM span: the chat POSTs (a turn each) and the API-key route. */
  @Override
  boolean observedRequest(RecordedRequest request) {
    String p = request.path();
    return request.method().equals("POST") && (p.equals("/api/agents/chat")
        || p.matches("/api/agents/chat/[^/]+") && !p.equals("/api/agents/chat/abort")
        || p.equals("/api/agents/v1/chat/completions"));
  }

  /** The one LLM span under the app's span {@code turn <scenario>}. */
  private ReceivedSpan turn(Jdk jdk, String scenario) {
    return turn(run(jdk), scenario);
  }

  private static ReceivedSpan turn(AppRun run, String scenario) {
    ReceivedSpan app = run.single("turn " + scenario, s -> s.name().equals("turn " + scenario));
    return run.single("LLM span under turn " + scenario,
        s -> AppRun.isLlmSpan(s) && s.parentSpanId().equals(app.spanId()) && s.traceId().equals(app.traceId()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamedTurnIsOneChatSpanToTheFinalFrame(Jdk jdk) {
    ReceivedSpan s = turn(jdk, "stream");
    assertAll(s.toString(),
        () -> assertEquals("chat gpt-4o-mini", s.name()),
        () -> assertEquals("chat", s.attr("gen_ai.operation.name")),
        () -> assertEquals("openai", s.attr("gen_ai.provider.name")),
        () -> assertEquals("openAI", s.attr("librechat.endpoint")),
        () -> assertEquals("conv-1", s.attr("librechat.conversation_id")),
        () -> assertEquals("conv-1", s.attr("gen_ai.conversation.id")),
        () -> assertEquals("conv-1", s.attr("librechat.stream_id")),
        () -> assertEquals("msg-user-gpt-4o-mini", s.attr("librechat.request_message_id")),
        () -> assertEquals("msg-ai-1", s.attr("librechat.response_message_id")),
        () -> assertEquals("msg-ai-1", s.attr("gen_ai.response.id")),
        () -> assertEquals(LibreChatRoutes.RESPONSE_MODEL, s.attr("gen_ai.response.model")),
        () -> assertEquals(LibreChatRoutes.INPUT_TOKENS, s.attr("gen_ai.usage.input_tokens")),
        () -> assertEquals(LibreChatRoutes.OUTPUT_TOKENS, s.attr("gen_ai.usage.output_tokens")),
        () -> assertEquals(LibreChatRoutes.CACHE_READ_TOKENS, s.attr("gen_ai.usage.cache_read.input_tokens")),
        () -> assertEquals(200L, s.attr("http.response.status_code")),
        () -> assertEquals(true, s.attr("librechat.completed")),
        () -> assertEquals(true, s.attr("gen_ai.request.stream")),
        () -> assertEquals("completed", s.attr("llmotel.stream.outcome")),
        () -> assertEquals((long) LibreChatRoutes.PIECES.size(), s.attr("llmotel.stream.chunks")),
        () -> assertTrue((Double) s.attr("gen_ai.response.time_to_first_chunk")
            >= 3 * LibreChatRoutes.GAP_MILLIS / 1000.0, "from the chat POST to the first delta"),
        () -> assertTrue(s.durationSeconds() >= (4 + LibreChatRoutes.PIECES.size()) * LibreChatRoutes.GAP_MILLIS
            / 1000.0, "the span lasts until the final frame"),
        () -> assertNull(s.attr("error.type")),
        () -> assertFalse(s.has("gen_ai.input.messages"), "no content without capture"),
        () -> assertFalse(s.has("gen_ai.output.messages")),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_UNSET, s.statusCode()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamWithoutFinalFrameIsTruncated(Jdk jdk) {
    ReceivedSpan s = turn(jdk, "no-final");
    assertAll(s.toString(),
        () -> assertEquals("chat sim-lc-nofinal", s.name()),
        () -> assertEquals("stream_truncated", s.attr("error.type")),
        () -> assertEquals("truncated", s.attr("llmotel.stream.outcome")),
        () -> assertEquals((long) LibreChatRoutes.PIECES.size(), s.attr("llmotel.stream.chunks")),
        () -> assertEquals(LibreChatRoutes.OUTPUT_TOKENS, s.attr("gen_ai.usage.output_tokens"), "usage frame seen"),
        () -> assertEquals(false, s.attr("librechat.completed")),
        () -> assertFalse(s.has("gen_ai.response.id"), "only the final frame names the answer"),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void polledTurnEndsWhenTheStatusSaysDone(Jdk jdk) {
    ReceivedSpan s = turn(jdk, "poll");
    assertAll(s.toString(),
        () -> assertEquals("chat claude-sonnet-4-5", s.name()),
        () -> assertEquals("anthropic", s.attr("gen_ai.provider.name")),
        () -> assertEquals("anthropic", s.attr("librechat.endpoint")),
        () -> assertEquals("conv-3", s.attr("gen_ai.conversation.id")),
        () -> assertEquals(true, s.attr("librechat.completed")),
        () -> assertTrue(s.durationSeconds() >= (LibreChatRoutes.ACTIVE_POLLS + 1) * 0.05,
            "until the status that said done"),
        () -> assertFalse(s.has("gen_ai.request.stream")),
        () -> assertNull(s.attr("error.type")),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_UNSET, s.statusCode()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void abortedTurnIsAnError(Jdk jdk) {
    ReceivedSpan s = turn(jdk, "abort");
    assertAll(s.toString(),
        () -> assertEquals("chat gpt-4o-mini", s.name()),
        () -> assertEquals("aborted", s.attr("error.type")),
        () -> assertEquals(false, s.attr("librechat.completed")),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void refusedTurnIsAnErrorDespiteStatus200(Jdk jdk) {
    ReceivedSpan s = turn(jdk, "refused");
    assertAll(s.toString(),
        () -> assertEquals(200L, s.attr("http.response.status_code")),
        () -> assertEquals("refused", s.attr("error.type")),
        () -> assertEquals("Illegal request", s.span().getStatus().getMessage()),
        () -> assertEquals(false, s.attr("librechat.completed")),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void turnWhoseStatusStaysActiveEndsAtTheIdleLimitMarked(Jdk jdk) {
    ReceivedSpan s = turn(jdk, "forever");
    assertAll(s.toString(),
        () -> assertEquals("chat sim-lc-forever", s.name()),
        () -> assertEquals("timeout", s.attr("error.type")),
        () -> assertEquals("idle_limit", s.attr("llmotel.continuation.end")),
        () -> assertEquals(false, s.attr("librechat.completed")),
        () -> assertTrue(s.durationSeconds() < 1.5, "it ends at the last poll the app made, not at the limit"),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void apiKeyRouteGoesThroughTheOpenAiDialect(Jdk jdk) {
    ReceivedSpan s = turn(jdk, "api-key");
    assertAll(s.toString(),
        () -> assertEquals("chat gpt-4o-mini", s.name()),
        () -> assertFalse(s.has("librechat.endpoint")),
        () -> assertEquals("chatcmpl-sim-1", s.attr("gen_ai.response.id")),
        () -> assertEquals(200L, s.attr("http.response.status_code")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void continuingRequestsCarryAnExportedContextAndLoginNone(Jdk jdk) {
    AppRun run = run(jdk);
    java.util.Set<String> exported = run.exported().stream().map(ReceivedSpan::spanId)
        .collect(java.util.stream.Collectors.toSet());
    int continuing = 0;
    for (RecordedRequest r : run.requestsWithAgent()) {
      if (r.path().startsWith("/api/auth/")) {
        assertTrue(r.header("traceparent").isEmpty(), "login and refresh are no LLM call: " + r);
      } else if (r.path().matches("/api/agents/chat/(stream|status)/.+|/api/agents/chat/abort")) {
        continuing++;
        String parent = r.traceParent().map(tp -> tp.parentId()).orElse("none");
        assertTrue(exported.contains(parent), "the turn's span or the app's, never a span no one exports: " + r
            + "\n" + run.dump());
      }
    }
    assertEquals(2 + (LibreChatRoutes.ACTIVE_POLLS + 1) + 3 + 5, continuing, "streams, polls, abort's, forever's");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void questionAndAnswerOnlyWithContentCapture(Jdk jdk) {
    int total = expectedSpans().values().stream().mapToInt(Long::intValue).sum();
    AppRun run = AppRuns.get(app() + "-capture", jdk, () -> AppLaunch.of(app(), jdk).jvmArg(IDLE_LIMIT)
        .agentEnv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
        .agentEnv("OTEL_METRICS_EXPORTER", "otlp").agentEnv("OTEL_METRIC_EXPORT_INTERVAL", "250")
        .expectSpans(total).run());
    assertEquals(run.plain().stdout(), run.withAgent().stdout());
    ReceivedSpan streamed = turn(run, "stream");
    ReceivedSpan polled = turn(run, "poll");
    assertAll(streamed.toString(),
        () -> assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
            + "\"What is the capital of France?\"}]}]", streamed.attr("gen_ai.input.messages")),
        () -> assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":"
            + "\"Paris is the capital.\"}],\"finish_reason\":\"stop\"}]", streamed.attr("gen_ai.output.messages")),
        () -> assertTrue(((String) polled.attr("gen_ai.input.messages")).contains("Name a prime number.")),
        () -> assertFalse(polled.has("gen_ai.output.messages"), "a polled turn never saw the answer"));
    assertNoSecret(run);
    // the turn's time to first delta is the time-to-first-chunk metric too
    run.receiver().awaitMetrics(m -> m.name().equals(MetricsExportTest.TTFC), 1, java.time.Duration.ofSeconds(5));
    List<HistogramPoint> ttfc = run.receiver().histogramSeries(MetricsExportTest.TTFC).stream()
        .filter(p -> !p.has("error.type")).toList();
    assertEquals(1, ttfc.size(), "the streamed turn's (the other stream had no final)\n" + ttfc);
    assertAll(ttfc.toString(),
        () -> assertEquals(1L, ttfc.get(0).count()),
        () -> assertEquals("gpt-4o-mini", ttfc.get(0).attr("gen_ai.request.model")),
        () -> assertEquals((Double) streamed.attr("gen_ai.response.time_to_first_chunk"), ttfc.get(0).sum(), 1e-9));
    long turns = run.receiver().histogramSeries(MetricsExportTest.DURATION).stream()
        .mapToLong(HistogramPoint::count).sum();
    assertEquals(7L, turns, "one duration per turn and one for the API-key call");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void noJwtPasswordOrCookieAnywhere(Jdk jdk) {
    AppRun run = run(jdk);
    assertNoSecret(run);
    assertFalse(run.exported().stream().anyMatch(s -> s.name().contains("auth") || s.name().contains("status")),
        "login, refresh and status polls make no span\n" + run.dump());
  }

  private static void assertNoSecret(AppRun run) {
    List<String> secrets = List.of(LibreChatRoutes.JWT, LibreChatRoutes.PASSWORD, LibreChatRoutes.REFRESH_TOKEN,
        LibreChatRoutes.EMAIL);
    assertTrue(run.requestsWithAgent().stream().anyMatch(r -> r.body().contains(LibreChatRoutes.PASSWORD)),
        "the app logged in with the password");
    for (ReceivedSpan s : run.exported()) {
      for (String secret : secrets) {
        assertFalse(s.protoText().contains(secret), "a secret leaked into telemetry: " + s.protoText());
      }
    }
  }
}
