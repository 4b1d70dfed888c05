package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.RealtimeSimulator;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenAI Realtime sessions over WebSocket (apps/realtime) through OkHttp 4.12 and java.net.http, on every JDK, against
 * the {@link RealtimeSimulator}: four sessions under the app's own span (the last left open at exit), one span per
 * session and one child per response, with usage, time to first delta, errors from error events and from a close
 * mid-response; the app's output unchanged and no API key anywhere in the export.
 */
class RealtimeAppTest {
  private static final String APP = "realtime";
  private static final String API_KEY = "sk-realtime-secret-4242";
  private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

  record Run(JvmRun plain, JvmRun withAgent, List<ReceivedSpan> spans, int port) {
    List<ReceivedSpan> named(String name) {
      return spans.stream().filter(s -> s.name().equals(name))
          .sorted(Comparator.comparingLong(s -> s.span().getStartTimeUnixNano())).toList();
    }

    ReceivedSpan app() {
      List<ReceivedSpan> app = named("realtime-app");
      assertEquals(1, app.size(), dump());
      return app.get(0);
    }

    List<ReceivedSpan> sessions() { return named("realtime gpt-realtime"); }

    List<ReceivedSpan> responsesOf(ReceivedSpan session) {
      return named("chat gpt-realtime").stream().filter(r -> r.parentSpanId().equals(session.spanId())).toList();
    }

    String dump() {
      return spans.stream().map(ReceivedSpan::toString).collect(Collectors.joining("\n"));
    }
  }

  static Stream<Arguments> runs() {
    List<Arguments> out = new ArrayList<>();
    for (Jdk jdk : Jdk.all()) {
      out.add(Arguments.of(jdk, "okhttp"));
      out.add(Arguments.of(jdk, "jdk"));
    }
    return out.stream();
  }

  static Run run(Jdk jdk, String client) {
    return RUNS.computeIfAbsent(client + " on " + jdk, k -> launch(jdk, client));
  }

  private static Run launch(Jdk jdk, String client) {
    try {
      Path jar = TestArtifacts.appJar(APP);
      JvmRun plain;
      try (RealtimeSimulator simulator = RealtimeSimulator.start()) {
        plain = AgentJvm.app(jdk, jar).timeout(Duration.ofSeconds(90)).args(simulator.baseUrl(), client).run();
      }
      try (RealtimeSimulator simulator = RealtimeSimulator.start(); OtlpReceiver receiver = OtlpReceiver.start()) {
        JvmRun withAgent = AgentJvm.app(jdk, jar).timeout(Duration.ofSeconds(90))
            .agent(TestArtifacts.requireAgentJar())
            .env(AgentJvm.agentEnvironment(receiver.endpoint(), AppLaunch.serviceName(APP)))
            .args(simulator.baseUrl(), client)
            .run();
        receiver.awaitSpans(s -> true, 10, OtlpReceiver.DEFAULT_WAIT);
        return new Run(plain, withAgent, receiver.spans(), simulator.port());
      }
    } catch (Exception e) {
      return fail("could not run " + APP + " with " + client + " on " + jdk + ": " + e, e);
    }
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("runs")
  void appOutputIsUnchangedByTheAgent(Jdk jdk, String client) {
    Run run = run(jdk, client);
    assertAll(run.withAgent().describe(),
        () -> assertEquals(0, run.plain().exitCode(), run.plain().describe()),
        () -> assertTrue(run.plain().stdout().endsWith("done\n"), run.plain().stdout()),
        () -> assertTrue(run.plain().stdout().contains("session 1: session.created, session.updated, "
            + "response.created, response.output_audio.delta, response.output_audio_transcript.delta, "
            + "response.output_audio.delta, response.done, response.created, response.output_text.delta x3, "
            + "response.done, closed 1000\n"), run.plain().stdout()),
        () -> assertTrue(run.plain().stdout().contains("session 3: session.created, response.created, "
            + "response.output_audio.delta, closed 1011 server error\n"), run.plain().stdout()),
        () -> assertEquals(run.plain().exitCode(), run.withAgent().exitCode()),
        () -> assertEquals(run.plain().stdout(), run.withAgent().stdout()));
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("runs")
  void exportsOneSpanPerSessionAndPerResponse(Jdk jdk, String client) {
    Run run = run(jdk, client);
    Map<String, Long> names = run.spans().stream()
        .collect(Collectors.groupingBy(ReceivedSpan::name, TreeMap::new, Collectors.counting()));
    assertEquals(new TreeMap<>(Map.of("realtime-app", 1L, "realtime gpt-realtime", 4L, "chat gpt-realtime", 5L)),
        names, run.dump());
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("runs")
  void sessionsUnderTheAppSpanAndResponsesUnderTheirSession(Jdk jdk, String client) {
    Run run = run(jdk, client);
    ReceivedSpan app = run.app();
    List<ReceivedSpan> sessions = run.sessions();
    assertEquals(4, sessions.size(), run.dump());
    for (ReceivedSpan s : sessions) {
      assertAll(s.toString(),
          () -> assertEquals(app.spanId(), s.parentSpanId()),
          () -> assertEquals(app.traceId(), s.traceId()),
          () -> assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, s.kind()),
          () -> assertEquals("realtime", s.attr("gen_ai.operation.name")),
          () -> assertEquals("openai", s.attr("gen_ai.provider.name")),
          () -> assertEquals("gpt-realtime", s.attr("gen_ai.request.model")),
          () -> assertEquals(RealtimeSimulator.SESSION_MODEL, s.attr("gen_ai.response.model")),
          () -> assertTrue(String.valueOf(s.attr("llmotel.realtime.session.id")).startsWith("sess_sim_")),
          () -> assertEquals("127.0.0.1", s.attr("server.address")),
          () -> assertEquals((long) run.port(), s.attr("server.port")),
          () -> assertFalse(s.has("gen_ai.usage.input_tokens"), "usage is on the responses"));
    }
    assertEquals(List.of(2, 1, 1, 1), sessions.stream().map(s -> run.responsesOf(s).size()).toList(), run.dump());
    for (ReceivedSpan r : run.named("chat gpt-realtime")) {
      ReceivedSpan session = sessions.stream().filter(s -> s.spanId().equals(r.parentSpanId())).findFirst()
          .orElseThrow(() -> new AssertionError("a response outside any session: " + r));
      assertAll(r.toString(),
          () -> assertEquals(app.traceId(), r.traceId()),
          () -> assertTrue(r.span().getStartTimeUnixNano() >= session.span().getStartTimeUnixNano()),
          () -> assertTrue(r.span().getEndTimeUnixNano() <= session.span().getEndTimeUnixNano()),
          () -> assertEquals("chat", r.attr("gen_ai.operation.name")),
          () -> assertEquals(session.attr("llmotel.realtime.session.id"), r.attr("llmotel.realtime.session.id")));
    }
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("runs")
  void responsesCarryUsageAndTimeToFirstDelta(Jdk jdk, String client) {
    Run run = run(jdk, client);
    ReceivedSpan session = run.sessions().get(0);
    List<ReceivedSpan> responses = run.responsesOf(session);
    ReceivedSpan spoken = responses.get(0);
    ReceivedSpan text = responses.get(1);
    assertAll(spoken.toString(),
        () -> assertEquals("resp_sim_1", spoken.attr("gen_ai.response.id")),
        () -> assertEquals(101L, spoken.attr("gen_ai.usage.input_tokens")),
        () -> assertEquals(201L, spoken.attr("gen_ai.usage.output_tokens")),
        () -> assertEquals(32L, spoken.attr("gen_ai.usage.cache_read.input_tokens")),
        () -> assertEquals(60L, spoken.attr("llmotel.usage.input_text_tokens")),
        () -> assertEquals(41L, spoken.attr("llmotel.usage.input_audio_tokens")),
        () -> assertEquals(50L, spoken.attr("llmotel.usage.output_text_tokens")),
        () -> assertEquals(151L, spoken.attr("llmotel.usage.output_audio_tokens")),
        () -> assertEquals("speech", spoken.attr("gen_ai.output.type")),
        () -> assertEquals(List.of("stop"), spoken.attr("gen_ai.response.finish_reasons")),
        () -> assertEquals("completed", spoken.attr("llmotel.stream.outcome")),
        () -> assertEquals(2L, spoken.attr("llmotel.stream.chunks")),
        () -> assertNotNull(spoken.attr("gen_ai.response.time_to_first_chunk")),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_UNSET, spoken.statusCode()));
    assertAll(text.toString(),
        () -> assertEquals("resp_sim_2", text.attr("gen_ai.response.id")),
        () -> assertEquals(102L, text.attr("gen_ai.usage.input_tokens")),
        () -> assertEquals("text", text.attr("gen_ai.output.type")),
        () -> assertEquals(3L, text.attr("llmotel.stream.chunks")),
        () -> assertTrue((Double) text.attr("gen_ai.response.time_to_first_chunk") >= 0));
    assertAll(session.toString(),
        () -> assertEquals(2L, session.attr("llmotel.realtime.responses")),
        () -> assertEquals(1000L, session.attr("llmotel.realtime.close.code")),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_UNSET, session.statusCode()));
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("runs")
  void errorEventsAndACloseMidResponseAreErrors(Jdk jdk, String client) {
    Run run = run(jdk, client);
    ReceivedSpan refused = run.responsesOf(run.sessions().get(1)).get(0);
    ReceivedSpan cut = run.responsesOf(run.sessions().get(2)).get(0);
    assertAll(refused.toString(),
        () -> assertEquals("invalid_value", refused.attr("error.type")),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, refused.statusCode()),
        () -> assertEquals(1L, run.sessions().get(1).attr("llmotel.realtime.errors")));
    assertAll(cut.toString(),
        () -> assertEquals("stream_truncated", cut.attr("error.type")),
        () -> assertEquals("truncated", cut.attr("llmotel.stream.outcome")),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, cut.statusCode()),
        () -> assertEquals(1011L, run.sessions().get(2).attr("llmotel.realtime.close.code")));
  }

  /** The app exits with its last socket open: the agent ends that session at exit, its response already done. */
  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("runs")
  void aSessionLeftOpenEndsAtExit(Jdk jdk, String client) {
    Run run = run(jdk, client);
    ReceivedSpan open = run.sessions().get(3);
    ReceivedSpan response = run.responsesOf(open).get(0);
    assertAll(open.toString(),
        () -> assertEquals(1001L, open.attr("llmotel.realtime.close.code")),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_UNSET, open.statusCode()),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_UNSET, response.statusCode()),
        () -> assertEquals("completed", response.attr("llmotel.stream.outcome")),
        () -> assertTrue(run.plain().stdout().contains("session 4: session.created, response.created, "
            + "response.output_text.delta x3, response.done\n"), run.plain().stdout()));
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("runs")
  void noApiKeyInTheExport(Jdk jdk, String client) {
    Run run = run(jdk, client);
    assertFalse(run.spans().isEmpty());
    for (ReceivedSpan s : run.spans()) {
      assertFalse(s.protoText().contains(API_KEY), "API key exported: " + s);
      assertFalse(s.protoText().contains("Bearer"), "Authorization exported: " + s);
    }
  }
}
