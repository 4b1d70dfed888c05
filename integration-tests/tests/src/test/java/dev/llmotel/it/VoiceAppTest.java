package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.AudioRoutes;
import dev.llmotel.it.simulator.OpenAiPayloads;
import dev.llmotel.it.simulator.RecordedRequest;
import dev.llmotel.it.simulator.TraceParent;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A voice-agent turn in one trace (apps/voice: openai-java 4.101.0 and io.livekit:livekit-server 0.13.0 on OkHttp
 * 5.3.2): the app's {@code voice_turn} span, under it the transcription, the retried chat call (a logical span with
 * one child per attempt), the speech and LiveKit's {@code CreateRoom}; then a streamed transcription and a LiveKit
 * call that fails. No secret (OpenAI key, LiveKit secret, the minted access token) anywhere in the export.
 */
class VoiceAppTest extends AppContractTest {
  static final String LIVEKIT_SECRET = "lk-secret-do-not-export-0123456789abcdef";
  static final String STT = "transcription gpt-4o-mini-transcribe";
  static final String STT_STREAMED = "transcription gpt-4o-transcribe";
  static final String TTS = "speech gpt-4o-mini-tts";
  static final String CREATE_ROOM = "livekit.RoomService/CreateRoom";

  @Override
  String app() { return "voice"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("voice_turn", 1L, STT, 1L, STT_STREAMED, 1L, "chat sim-flaky", 4L, TTS, 2L, CREATE_ROOM, 2L,
        "speech sim-500", 1L);
  }

  @Override
  boolean llmSpansAreRoots() { return false; }

  /** The contract's LLM-span checks are the chat's; the audio and LiveKit requests are checked below. */
  @Override
  boolean observedRequest(RecordedRequest request) {
    return request.path().endsWith("/chat/completions");
  }

  /** The turn's speech: the one read to its end (the other is closed after its first byte). */
  private static java.util.function.Predicate<ReceivedSpan> inTurnSpeech() {
    return named(TTS).and(s -> Long.valueOf(AudioRoutes.SPEECH_BYTES).equals(s.attr("llmotel.audio.response_bytes")));
  }

  private static ReceivedSpan turn(AppRun run) {
    return run.single("voice_turn", named("voice_turn"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void theTurnIsOneTraceWithEveryCallUnderTheAppSpanInOrder(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan turn = turn(run);
    ReceivedSpan stt = run.single(STT, named(STT));
    ReceivedSpan chat = run.single("the logical chat call", named("chat sim-flaky").and(AppContractTest::isLogicalCall));
    ReceivedSpan tts = run.single(TTS, inTurnSpeech());
    ReceivedSpan room = run.single("CreateRoom in the turn", named(CREATE_ROOM).and(s -> s.attr(ERROR_TYPE) == null));
    List<ReceivedSpan> inTurn = List.of(stt, chat, tts, room);
    List<ReceivedSpan> attempts = run.exported().stream().filter(named("chat sim-flaky"))
        .filter(s -> s.parentSpanId().equals(chat.spanId())).toList();
    assertAll(run.dump(),
        () -> assertEquals("", turn.parentSpanId(), "voice_turn is the root"),
        () -> assertEquals("voice-app", turn.scopeName()),
        () -> assertTrue(run.withAgent().stderr().contains("voice_turn trace id: " + turn.traceId() + "\n"),
            "the exported turn is the app's own span"),
        () -> inTurn.forEach(s -> assertEquals(turn.traceId(), s.traceId(), s.name() + ": same trace")),
        () -> inTurn.forEach(s -> assertEquals(turn.spanId(), s.parentSpanId(), s.name() + ": child of the turn")),
        () -> assertEquals(3, attempts.size(), "one child per attempt of the retried chat"),
        () -> attempts.forEach(a -> assertEquals(turn.traceId(), a.traceId())),
        () -> assertEquals(inTurn, inTurn.stream()
            .sorted(Comparator.comparingLong(s -> s.span().getStartTimeUnixNano())).toList(), "STT, LLM, TTS, room"),
        () -> inTurn.forEach(s -> assertTrue(s.span().getEndTimeUnixNano() <= turn.span().getEndTimeUnixNano())));
    OpenAiJavaAppTest.assertRetriedTwice(run, "429");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void transcriptionSpan(Jdk jdk) {
    ReceivedSpan s = run(jdk).single(STT, named(STT));
    assertAll(s.toString(),
        () -> assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, s.kind()),
        () -> assertEquals("transcription", s.attr("gen_ai.operation.name")),
        () -> assertEquals("openai", s.attr("gen_ai.provider.name")),
        () -> assertEquals("gpt-4o-mini-transcribe", s.attr("gen_ai.request.model")),
        () -> assertEquals("text", s.attr("gen_ai.output.type")),
        () -> assertEquals(AudioRoutes.STT_INPUT_TOKENS, s.attr(INPUT_TOKENS)),
        () -> assertEquals(AudioRoutes.STT_OUTPUT_TOKENS, s.attr(OUTPUT_TOKENS)),
        () -> assertEquals("en", s.attr("llmotel.audio.language")),
        // the bundled table's gpt-4o-mini-transcribe: 1.25e-06 USD per (audio) input token, 5e-06 per output token
        () -> assertEquals(AudioRoutes.STT_INPUT_TOKENS * 1.25e-06 + AudioRoutes.STT_OUTPUT_TOKENS * 5e-06,
            (Double) s.attr("gen_ai.usage.cost"), 1e-12),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertFalse(s.has(STREAM)),
        () -> assertFalse(s.has(ERROR_TYPE)),
        () -> assertFalse(s.protoText().contains("weather"), "the transcript is content: not captured by default"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamedTranscriptionEndsAtDoneWithUsageAndTimeToFirstDelta(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan s = run.single(STT_STREAMED, named(STT_STREAMED));
    assertAll(s.toString(),
        () -> assertEquals("", s.parentSpanId(), "made outside the turn"),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals("completed", s.attr(OUTCOME)),
        () -> assertEquals((long) AudioRoutes.TRANSCRIPT_PIECES.size(), s.attr(CHUNKS)),
        () -> assertTrue((Double) s.attr("gen_ai.response.time_to_first_chunk") >= 0),
        () -> assertEquals(AudioRoutes.STT_INPUT_TOKENS, s.attr(INPUT_TOKENS)),
        () -> assertEquals(AudioRoutes.STT_OUTPUT_TOKENS, s.attr(OUTPUT_TOKENS)),
        () -> assertTrue(run.withAgent().stdout().contains("streamed: " + AudioRoutes.TRANSCRIPT + "\n")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void speechReachesTheAppByteForByteAndItsSpanCountsIt(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan s = run.single(TTS, inTurnSpeech());
    String expected = "speech: " + AudioRoutes.SPEECH_BYTES + " bytes, sha256 " + AudioRoutes.speechAudioSha256() + "\n";
    assertAll(s.toString(),
        () -> assertTrue(run.plain().stdout().contains(expected), run.plain().stdout()),
        () -> assertTrue(run.withAgent().stdout().contains(expected), run.withAgent().stdout()),
        () -> assertEquals("speech", s.attr("gen_ai.operation.name")),
        () -> assertEquals("speech", s.attr("gen_ai.output.type")),
        () -> assertEquals("gpt-4o-mini-tts", s.attr("gen_ai.request.model")),
        () -> assertEquals("coral", s.attr("llmotel.audio.voice")),
        () -> assertEquals("mp3", s.attr("llmotel.audio.format")),
        () -> assertEquals(1.25, s.attr("llmotel.audio.speed")),
        () -> assertEquals((long) OpenAiPayloads.CONTENT.length(), s.attr("llmotel.audio.input_characters")),
        () -> assertEquals((long) AudioRoutes.SPEECH_BYTES, s.attr("llmotel.audio.response_bytes")),
        () -> {
          double ttfb = (Double) s.attr("llmotel.audio.time_to_first_byte");
          assertTrue(ttfb >= 0 && ttfb <= s.durationSeconds(), "time to first byte " + ttfb);
        },
        () -> assertFalse(s.has(STREAM), "binary audio is no event stream"),
        () -> assertFalse(s.has(ERROR_TYPE)),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void speechClosedEarlyAndFailedSpeech(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan closed = run.single("speech closed early", named(TTS).and(inTurnSpeech().negate()));
    ReceivedSpan failed = run.single("speech sim-500", named("speech sim-500"));
    assertAll(run.dump(),
        () -> assertEquals("", closed.parentSpanId()),
        () -> assertEquals("ash", closed.attr("llmotel.audio.voice")),
        () -> assertEquals(8L, closed.attr("llmotel.audio.input_characters")),
        () -> assertTrue((Long) closed.attr("llmotel.audio.response_bytes") < AudioRoutes.SPEECH_BYTES,
            "the span ends when the app closes the audio: " + closed.attr("llmotel.audio.response_bytes")),
        () -> assertTrue((Long) closed.attr("llmotel.audio.response_bytes") > 0),
        () -> assertFalse(closed.has(ERROR_TYPE), "closing early is the app's choice, not an error"),
        () -> assertTrue(run.withAgent().stdout().contains("interrupted speech: first byte "
            + (AudioRoutes.speechAudio()[0] & 0xFF) + "\n")),
        () -> assertEquals(500L, failed.attr(HTTP_STATUS)),
        () -> assertEquals("server_error", failed.attr(ERROR_TYPE)),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.statusCode()),
        () -> assertFalse(failed.has("llmotel.audio.response_bytes")),
        () -> assertTrue(run.withAgent().stdout().contains("failed speech: InternalServerException\n"),
            run.withAgent().stdout()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void liveKitCallsArePlainTwirpClientSpans(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan ok = run.single("CreateRoom", named(CREATE_ROOM).and(s -> s.attr(ERROR_TYPE) == null));
    ReceivedSpan failed = run.single("CreateRoom not_found", named(CREATE_ROOM).and(s -> s.attr(ERROR_TYPE) != null));
    for (ReceivedSpan s : List.of(ok, failed)) {
      assertAll(s.toString(),
          () -> assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, s.kind()),
          () -> assertEquals("twirp", s.attr("rpc.system")),
          () -> assertEquals("livekit.RoomService", s.attr("rpc.service")),
          () -> assertEquals("CreateRoom", s.attr("rpc.method")),
          () -> assertEquals("127.0.0.1", s.attr("server.address")),
          () -> assertTrue(s.attributes().keySet().stream().noneMatch(k -> k.startsWith("gen_ai.")),
              "not a GenAI span"));
    }
    assertAll(
        () -> assertEquals("voice-room-42", ok.attr("llmotel.livekit.room_name")),
        () -> assertEquals(200L, ok.attr(HTTP_STATUS)),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_UNSET, ok.statusCode()),
        () -> assertTrue(run.withAgent().stdout().contains("room: 200 voice-room-42 RM_simVoice01\n")),
        () -> assertEquals("sim-missing", failed.attr("llmotel.livekit.room_name")),
        () -> assertEquals("not_found", failed.attr(ERROR_TYPE)),
        () -> assertEquals(404L, failed.attr(HTTP_STATUS)),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.statusCode()),
        () -> assertEquals("", failed.parentSpanId(), "made outside the turn"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void audioAndLiveKitRequestsCarryTheTraceparentOfTheirSpan(Jdk jdk) {
    AppRun run = run(jdk);
    List<RecordedRequest> requests = run.requestsWithAgent().stream().filter(r -> !observedRequest(r)).toList();
    assertEquals(7, requests.size(), "2 transcriptions, 3 speech, 2 CreateRoom: " + requests);
    for (RecordedRequest request : requests) {
      TraceParent tp = request.traceParent().orElse(null);
      assertNotNull(tp, "no traceparent on " + request);
      ReceivedSpan span = run.exported().stream().filter(s -> s.spanId().equals(tp.parentId())).findFirst()
          .orElse(null);
      assertNotNull(span, "traceparent of " + request + " names no exported span\n" + run.dump());
      String expectedName = request.path().startsWith("/twirp/") ? CREATE_ROOM
          : request.path().endsWith("/audio/speech") ? "speech " + request.model()
          : "transcription " + AudioRoutes.formField(request.body(), "model");
      assertEquals(expectedName, span.name(), request.toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void noSecretInTheExport(Jdk jdk) {
    AppRun run = run(jdk);
    List<String> tokens = run.requestsWithAgent().stream().filter(r -> r.path().startsWith("/twirp/"))
        .flatMap(r -> r.header("authorization").stream()).map(h -> h.substring("Bearer ".length())).toList();
    assertEquals(2, tokens.size(), "each LiveKit call carries a minted access token");
    for (ReceivedSpan s : run.exported()) {
      String text = s.protoText();
      assertAll(s.name(),
          () -> assertFalse(text.contains(API_KEY), "OpenAI key"),
          () -> assertFalse(text.contains(LIVEKIT_SECRET), "LiveKit API secret"),
          () -> tokens.forEach(t -> assertFalse(text.contains(t), "LiveKit access token")),
          () -> assertFalse(text.contains("Bearer"), "an Authorization header"));
    }
  }
}
