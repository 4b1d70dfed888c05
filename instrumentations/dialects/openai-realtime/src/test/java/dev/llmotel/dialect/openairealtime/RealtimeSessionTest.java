package dev.llmotel.dialect.openairealtime;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.MessageDialectSession;
import dev.llmotel.dialect.TurnSink;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.GuardedMessageSession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.MessageHandler;
import dev.llmotel.exchange.StreamOutcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handwritten Realtime event sequences through the dialect. */
class RealtimeSessionTest {
  static final String SESSION_CREATED = "{\"type\":\"session.created\",\"event_id\":\"ev_1\",\"session\":"
      + "{\"id\":\"sess_123\",\"object\":\"realtime.session\",\"model\":\"gpt-realtime-2025-08-28\","
      + "\"instructions\":\"be brief\"}}";

  static String created(String id) {
    return "{\"type\":\"response.created\",\"event_id\":\"ev_c\",\"response\":{\"id\":\"" + id
        + "\",\"status\":\"in_progress\",\"output\":[]}}";
  }

  static String audioDelta(String id) {
    return "{\"type\":\"response.output_audio.delta\",\"event_id\":\"ev_d\",\"response_id\":\"" + id
        + "\",\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"AAAAAAAA\"}";
  }

  static String textDelta(String id) {
    return "{\"type\":\"response.output_text.delta\",\"response_id\":\"" + id + "\",\"delta\":\"Hi\"}";
  }

  static String done(String id, String status, String usage) {
    return "{\"type\":\"response.done\",\"event_id\":\"ev_x\",\"response\":{\"id\":\"" + id
        + "\",\"object\":\"realtime.response\",\"status\":\"" + status + "\",\"status_details\":null,"
        + "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_audio\",\"transcript\":\"Hello\"}]}]"
        + (usage == null ? "" : ",\"usage\":" + usage) + "}}";
  }

  static final String USAGE = "{\"total_tokens\":60,\"input_tokens\":20,\"output_tokens\":40,"
      + "\"input_token_details\":{\"text_tokens\":12,\"audio_tokens\":8,\"cached_tokens\":4},"
      + "\"output_token_details\":{\"text_tokens\":10,\"audio_tokens\":30}}";

  static final class Sink implements TurnSink {
    final List<CallFacts> begun = new ArrayList<>();
    final List<CallFacts> ended = new ArrayList<>();
    final List<Long> beginNanos = new ArrayList<>();

    @Override
    public void begun(CallFacts turn, long nanos) {
      begun.add(turn);
      beginNanos.add(nanos);
    }

    @Override
    public void ended(CallFacts turn, long nanos) {
      assertTrue(begun.contains(turn), "ended a turn never begun");
      assertFalse(ended.contains(turn), "ended twice");
      ended.add(turn);
    }
  }

  final Sink sink = new Sink();

  MessageDialectSession open(String host, String path, String query) {
    return new OpenAiRealtimeDialect().open(
        new ExchangeRequest("GET", "wss", host, -1, path, query, HeaderLookup.NONE), DialectContext.defaults(), sink);
  }

  MessageDialectSession open() {
    MessageDialectSession s = open("api.openai.com", "/v1/realtime", "model=gpt-realtime");
    assertNotNull(s);
    s.onOpen(1, 101, HeaderLookup.NONE);
    return s;
  }

  @Test
  void recognisesTheRealtimeRouteOnAnyHost() {
    assertNotNull(open("localhost", "/v1/realtime", null));
    assertNotNull(open("my.openai.azure.com", "/openai/realtime", "api-version=2025-04-01&deployment=x"));
    assertNull(open("api.openai.com", "/v1/chat/completions", null));
    assertNull(open("api.openai.com", "/v1/realtime/sessions", null));
    assertEquals("azure.ai.openai", open("my.openai.azure.com", "/openai/realtime", null).facts().request.providerName);
    assertEquals("gpt-realtime-mini",
        open("x", "/v1/realtime", "foo=1&model=gpt-realtime-mini").facts().request.model);
  }

  @Test
  void aSessionWithTwoResponses() {
    MessageDialectSession s = open();
    s.onText(2, false, SESSION_CREATED, false);
    s.onText(3, true, "{\"type\":\"session.update\",\"session\":{\"instructions\":\"x\"}}", false);
    s.onText(10, true, "{\"type\":\"response.create\"}", false);
    s.onText(12, false, created("resp_1"), false);
    s.onText(15, false, audioDelta("resp_1"), false);
    s.onText(16, false, audioDelta("resp_1"), false);
    s.onText(20, false, done("resp_1", "completed", USAGE), false);
    s.onText(30, true, "{ \"type\" : \"response.create\", \"response\":{\"modalities\":[\"text\"]}}", false);
    s.onText(31, false, created("resp_2"), false);
    s.onText(33, false, textDelta("resp_2"), false);
    s.onText(40, false, done("resp_2", "completed", USAGE), false);
    s.onBinary(41, false, 100);
    s.onEnd(50, 1000, "bye", null);

    assertEquals(Arrays.asList(10L, 30L), sink.beginNanos);
    assertEquals(2, sink.ended.size());
    CallFacts r1 = sink.ended.get(0);
    assertEquals("resp_1", r1.response.id);
    assertEquals("chat", r1.request.operationName);
    assertEquals("gpt-realtime-2025-08-28", r1.model());
    assertEquals("gpt-realtime", r1.request.model);
    assertEquals(15, r1.stream.firstChunkNanos);
    assertEquals(2, r1.stream.chunkCount);
    assertEquals("speech", r1.request.outputType);
    assertEquals(Arrays.asList("stop"), r1.response.finishReasons);
    assertEquals(20, r1.usage.inputTokens);
    assertEquals(40, r1.usage.outputTokens);
    assertEquals(4, r1.usage.cacheReadTokens);
    assertEquals(8L, r1.response.extra().get("llmotel.usage.input_audio_tokens"));
    assertEquals(12L, r1.response.extra().get("llmotel.usage.input_text_tokens"));
    assertEquals(30L, r1.response.extra().get("llmotel.usage.output_audio_tokens"));
    assertEquals(10L, r1.response.extra().get("llmotel.usage.output_text_tokens"));
    assertEquals("sess_123", r1.response.extra().get("llmotel.realtime.session.id"));
    assertEquals(StreamOutcome.COMPLETED, r1.stream.outcome);
    assertNull(r1.response.errorType);
    CallFacts r2 = sink.ended.get(1);
    assertEquals("resp_2", r2.response.id);
    assertEquals("text", r2.request.outputType);
    assertEquals(33, r2.stream.firstChunkNanos);

    CallFacts f = s.facts();
    assertEquals("realtime", f.request.operationName);
    assertEquals("openai", f.request.providerName);
    assertEquals("gpt-realtime-2025-08-28", f.response.model);
    assertEquals("sess_123", f.response.extra().get("llmotel.realtime.session.id"));
    assertEquals(2L, f.response.extra().get("llmotel.realtime.responses"));
    assertEquals(3L, f.response.extra().get("llmotel.realtime.messages.sent"));
    assertEquals(9L, f.response.extra().get("llmotel.realtime.messages.received"), "8 text, 1 binary");
    assertEquals(1000L, f.response.extra().get("llmotel.realtime.close.code"));
    assertEquals(101, f.response.httpStatus);
    assertNull(f.response.errorType);
    assertEquals(-1, f.usage.inputTokens, "usage is on the responses only");
  }

  @Test
  void theSessionIdIsSessionCreatedsAndSessionUpdatedMayChangeTheModel() {
    MessageDialectSession s = open();
    s.onText(1, false, "{\"type\":\"session.updated\",\"session\":{\"id\":\"sess_early\"}}", false);
    s.onText(2, false, SESSION_CREATED, false);
    s.onText(3, false, "{\"type\":\"session.updated\",\"session\":{\"id\":\"sess_other\",\"model\":\"m2\"}}",
        false);
    s.onEnd(4, 1000, null, null);
    assertEquals("sess_123", s.facts().response.extra().get("llmotel.realtime.session.id"));
    assertEquals("m2", s.facts().response.model);
  }

  @Test
  void theBetaEventNamesAreDeltasToo() {
    MessageDialectSession s = open();
    s.onText(10, false, created("r"), false);
    s.onText(11, false, "{\"type\":\"response.audio_transcript.delta\",\"response_id\":\"r\",\"delta\":\"a\"}",
        false);
    s.onText(12, false, "{\"type\":\"response.audio.delta\",\"response_id\":\"r\",\"delta\":\"AAAA\"}", false);
    s.onText(13, false, "{\"type\":\"response.text.delta\",\"response_id\":\"r\",\"delta\":\"b\"}", false);
    s.onText(14, false, done("r", "completed", USAGE), false);
    CallFacts r = sink.ended.get(0);
    assertEquals(12, r.stream.firstChunkNanos, "a transcript delta is no output delta");
    assertEquals(2, r.stream.chunkCount);
    assertEquals("speech", r.request.outputType);
  }

  @Test
  void aServerInitiatedResponseStartsAtResponseCreated() {
    MessageDialectSession s = open();
    s.onText(12, false, created("resp_vad"), false);
    s.onText(20, false, done("resp_vad", "completed", USAGE), false);
    assertEquals(Arrays.asList(12L), sink.beginNanos);
    assertEquals("resp_vad", sink.ended.get(0).response.id);
  }

  @Test
  void responseDoneWithoutUsage() {
    MessageDialectSession s = open();
    s.onText(10, true, "{\"type\":\"response.create\"}", false);
    s.onText(11, false, created("r"), false);
    s.onText(20, false, done("r", "completed", null), false);
    CallFacts r = sink.ended.get(0);
    assertEquals(-1, r.usage.inputTokens);
    assertEquals(-1, r.usage.outputTokens);
    assertEquals(-1, r.stream.firstChunkNanos == 0 ? -1 : 0);
    assertNull(r.response.errorType);
  }

  @Test
  void failedAndIncompleteAndCancelledResponses() {
    MessageDialectSession s = open();
    s.onText(11, false, created("a"), false);
    s.onText(12, false, "{\"type\":\"response.done\",\"response\":{\"id\":\"a\",\"status\":\"failed\","
        + "\"status_details\":{\"type\":\"failed\",\"error\":{\"type\":\"server_error\",\"code\":\"overloaded\","
        + "\"message\":\"busy\"}}}}", false);
    s.onText(13, false, created("b"), false);
    s.onText(14, false, "{\"type\":\"response.done\",\"response\":{\"id\":\"b\",\"status\":\"incomplete\","
        + "\"status_details\":{\"type\":\"incomplete\",\"reason\":\"max_output_tokens\"}}}", false);
    s.onText(15, false, created("c"), false);
    s.onText(16, false, "{\"type\":\"response.done\",\"response\":{\"id\":\"c\",\"status\":\"cancelled\","
        + "\"status_details\":{\"type\":\"cancelled\",\"reason\":\"turn_detected\"}}}", false);
    assertEquals("overloaded", sink.ended.get(0).response.errorType);
    assertEquals("busy", sink.ended.get(0).response.errorMessage);
    assertEquals(Arrays.asList("max_output_tokens"), sink.ended.get(1).response.finishReasons);
    assertNull(sink.ended.get(1).response.errorType);
    assertEquals(Arrays.asList("cancelled"), sink.ended.get(2).response.finishReasons);
    assertEquals("turn_detected", sink.ended.get(2).response.extra().get("llmotel.realtime.cancel.reason"));
  }

  @Test
  void errorEvents() {
    MessageDialectSession s = open();
    // an error that belongs to no response: the session's
    s.onText(5, false, "{\"type\":\"error\",\"event_id\":\"e1\",\"error\":{\"type\":\"invalid_request_error\","
        + "\"code\":\"invalid_value\",\"message\":\"bad voice\",\"param\":\"session.voice\"}}", false);
    // a refused response.create: a response that failed at once
    s.onText(10, true, "{\"type\":\"response.create\",\"event_id\":\"c1\"}", false);
    s.onText(11, false, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
        + "\"message\":\"no code\",\"event_id\":\"c1\"}}", false);
    // an error while a response runs: that response's
    s.onText(20, false, created("r"), false);
    s.onText(21, false, "{\"type\":\"error\",\"error\":{\"type\":\"server_error\",\"code\":\"rate_limit_exceeded\"}}",
        false);
    s.onText(22, false, done("r", "failed", USAGE), false);
    s.onEnd(30, 1000, "", null);
    assertEquals("invalid_value", s.facts().response.errorType);
    assertEquals("bad voice", s.facts().response.errorMessage);
    assertEquals(3L, s.facts().response.extra().get("llmotel.realtime.errors"));
    assertEquals(2, sink.ended.size());
    assertEquals("invalid_request_error", sink.ended.get(0).response.errorType);
    assertEquals(Arrays.asList(10L, 20L), sink.beginNanos);
    assertEquals("rate_limit_exceeded", sink.ended.get(1).response.errorType);
    assertEquals(20, sink.ended.get(1).usage.inputTokens);
  }

  /** Only the error that names a pending response.create by its event_id refuses it; others leave it pending. */
  @Test
  void anErrorAboutAnotherEventIsNoRefusedResponse() {
    MessageDialectSession s = open();
    s.onText(10, true, "{\"type\":\"input_audio_buffer.commit\",\"event_id\":\"a1\"}", false);
    s.onText(11, true, "{\"type\":\"response.create\",\"event_id\":\"c1\"}", false);
    s.onText(12, true, "{\"event_id\":\"c2\",\"type\":\"response.create\"}", false);
    s.onText(13, false, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
        + "\"code\":\"input_audio_buffer_commit_empty\",\"event_id\":\"a1\"}}", false);
    s.onText(14, false, "{\"type\":\"error\",\"error\":{\"type\":\"server_error\"}}", false);
    assertTrue(sink.ended.isEmpty(), "no response fabricated: " + sink.ended);
    s.onText(15, false, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
        + "\"code\":\"conversation_already_has_active_response\",\"event_id\":\"c2\"}}", false);
    s.onText(20, false, created("r1"), false);
    s.onText(30, false, done("r1", "completed", USAGE), false);
    s.onEnd(40, 1000, "", null);
    assertEquals(Arrays.asList(12L, 11L), sink.beginNanos, "c2 refused at once; r1 answers c1, from c1");
    assertEquals("conversation_already_has_active_response", sink.ended.get(0).response.errorType);
    assertEquals("r1", sink.ended.get(1).response.id);
    assertNull(sink.ended.get(1).response.errorType);
    assertEquals("input_audio_buffer_commit_empty", s.facts().response.errorType, "the session's error");
    assertEquals(3L, s.facts().response.extra().get("llmotel.realtime.errors"));
  }

  /**
   * With a small max-event-bytes a long fragmented response.done arrives cut (head + tail): its usage is found in the
   * tail, and the parse of its head does not run into the tail.
   */
  @Test
  void theUsageOfACutResponseDoneIsFoundInItsTailWhateverTheBound() {
    DialectContext small = DialectContext.builder().maxEventBytes(16 * 1024).build();
    MessageDialectSession s = new OpenAiRealtimeDialect().open(
        new ExchangeRequest("GET", "wss", "api.openai.com", -1, "/v1/realtime", "model=m", HeaderLookup.NONE),
        small, sink);
    GuardedMessageSession guarded = new GuardedMessageSession(new MessageHandler() {
      @Override public java.util.Map<String, String> propagationHeaders() { return java.util.Collections.emptyMap(); }
      @Override public void opened(long nanos, int status, HeaderLookup headers) {}
      @Override public void text(long nanos, boolean sent, CharSequence m, boolean cut) { s.onText(nanos, sent, m, cut); }
      @Override public void binary(long nanos, boolean sent, long length) {}
      @Override public int maxMessageChars(boolean sent, CharSequence start) { return s.maxMessageChars(sent, start); }
      @Override public void ended(long nanos, int code, String reason, Throwable error) {}
    }, small.maxEventBytes());
    guarded.textReceived(created("big"), true);
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      items.append(i == 0 ? "" : ",").append("{\"type\":\"message\",\"id\":\"item_").append(i)
          .append("\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"hi\"}]}");
    }
    String message = "{\"type\":\"response.done\",\"response\":{\"id\":\"big\",\"status\":\"completed\","
        + "\"output\":[" + items + "],\"usage\":" + USAGE + ",\"metadata\":null}}";
    for (int i = 0; i < message.length(); i += 10_000) {
      guarded.textReceived(message.substring(i, Math.min(message.length(), i + 10_000)), i + 10_000 >= message.length());
    }
    CallFacts r = sink.ended.get(0);
    assertEquals("big", r.response.id);
    assertEquals(Arrays.asList("stop"), r.response.finishReasons);
    assertEquals(20, r.usage.inputTokens);
    assertEquals(30L, r.response.extra().get("llmotel.usage.output_audio_tokens"));
  }

  @Test
  void aCutMessagesHeadEndsWhereItsTailIsJoined() {
    String joined = "h".repeat(12 * 1024) + "t".repeat(GuardedMessageSession.TAIL_CHARS);
    assertEquals(12 * 1024, RealtimeSession.headEnd(joined, true));
    assertEquals(joined.length(), RealtimeSession.headEnd(joined, false));
    assertEquals(100, RealtimeSession.headEnd("h".repeat(100), true), "short bound: no tail kept");
  }

  @Test
  void closeMidResponseEndsItAsAnError() {
    MessageDialectSession s = open();
    s.onText(10, true, "{\"type\":\"response.create\"}", false);
    s.onText(11, false, created("r"), false);
    s.onText(12, false, audioDelta("r"), false);
    s.onEnd(20, 1001, "going away", null);
    CallFacts r = sink.ended.get(0);
    assertEquals("stream_truncated", r.response.errorType);
    assertEquals(StreamOutcome.TRUNCATED, r.stream.outcome);
    assertNull(s.facts().response.errorType, "the session itself closed normally");
    assertEquals(1001L, s.facts().response.extra().get("llmotel.realtime.close.code"));
  }

  @Test
  void failureMidResponseEndsItAndTheSessionAsErrors() {
    MessageDialectSession s = open();
    s.onText(11, false, created("r"), false);
    s.onEnd(20, -1, null, new IOException("reset"));
    assertEquals("java.io.IOException", sink.ended.get(0).response.errorType);
    assertEquals(StreamOutcome.FAILED, sink.ended.get(0).stream.outcome);
    assertEquals("java.io.IOException", s.facts().response.errorType);
  }

  @Test
  void malformedAndCutMessagesAreSkipped() {
    MessageDialectSession s = open();
    s.onText(1, false, "not json", false);
    s.onText(2, false, "{\"type\":\"response.done\",\"response\":{\"id\":", true);
    s.onText(3, false, "{\"type\":\"session.created\",\"session\":[1,2", false);
    s.onText(4, false, "", false);
    s.onText(5, false, "{\"type\":42}", false);
    s.onText(6, false, "{\"type\":\"resp\\u006fnse.done\"}", false);
    s.onText(7, false, audioDelta("nobody"), false);
    s.onText(8, false, created("r"), false);
    s.onText(9, false, "{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"status\":\"completed\",\"usage\":{\"input_", true);
    assertEquals(2, sink.ended.size(), "the cut response.done without created ends a response; r ends too");
    CallFacts r = sink.ended.get(1);
    assertEquals("r", r.response.id);
    assertEquals(-1, r.usage.inputTokens);
    s.onEnd(10, 1000, null, null);
    assertNull(s.facts().response.errorType);
  }

  @Test
  void manyResponsesKeepNothingOnceDone() {
    MessageDialectSession s = open();
    for (int i = 0; i < 10_000; i++) {
      s.onText(i, true, "{\"type\":\"response.create\"}", false);
      s.onText(i, false, created("r" + i), false);
      s.onText(i, false, audioDelta("r" + i), false);
      s.onText(i, false, done("r" + i, "completed", USAGE), false);
    }
    assertEquals(10_000, sink.ended.size());
    // responses never done nor created do not pile up: at most MAX_OPEN_TURNS are followed
    for (int i = 0; i < 100; i++) s.onText(i, false, created("open" + i), false);
    assertEquals(10_000 + RealtimeSession.MAX_OPEN_TURNS, sink.begun.size());
    for (int i = 0; i < 100; i++) s.onText(i, true, "{\"type\":\"response.create\"}", false);
    s.onEnd(1, 1000, null, null);
    assertEquals(sink.begun.size(), sink.ended.size());
  }

  @Test
  void theUsageOfAHugeResponseDoneIsFoundAfterItsOutput() {
    MessageDialectSession s = open();
    s.onText(1, false, created("big"), false);
    String transcript = "x".repeat(3 << 20);
    s.onText(2, false, "{\"type\":\"response.done\",\"response\":{\"id\":\"big\",\"status\":\"completed\","
        + "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + transcript
        + "\"}]}],\"usage\":" + USAGE + ",\"metadata\":null}}", false);
    CallFacts r = sink.ended.get(0);
    assertEquals("big", r.response.id);
    assertEquals(Arrays.asList("stop"), r.response.finishReasons);
    assertEquals(20, r.usage.inputTokens);
    assertEquals(30L, r.response.extra().get("llmotel.usage.output_audio_tokens"));
  }

  /** A fragmented message is joined only as far as the session reads it: far less than the event bound for deltas. */
  @Test
  void fragmentedDeltasAreKeptOnlyAsFarAsTheyAreRead() {
    RealtimeSession s = (RealtimeSession) open();
    int parsed = RealtimeSession.HEAD_CHARS + RealtimeSession.TAIL_CHARS;
    assertEquals(RealtimeSession.SCANNED_CHARS, s.maxMessageChars(false, audioDelta("r").substring(0, 100)));
    assertEquals(RealtimeSession.SCANNED_CHARS, s.maxMessageChars(false, "{\"type\":\"response.output_audio_transcript"
        + ".delta\",\"response_id\":\"r\",\"delta\":\"a"));
    assertEquals(RealtimeSession.SCANNED_CHARS,
        s.maxMessageChars(true, "{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA"));
    assertEquals(parsed, s.maxMessageChars(true, "{\"type\":\"response.create\",\"response\":{\"instructions\":\""));
    assertEquals(parsed, s.maxMessageChars(false, done("r", "completed", USAGE).substring(0, 100)));
    assertEquals(parsed, s.maxMessageChars(false, "{\"type\":\"error\",\"error\":"));
    assertEquals(parsed, s.maxMessageChars(false, "{\"event_id\":\"e"), "type not seen yet");
    assertTrue(RealtimeSession.SCANNED_CHARS >= audioDelta("r").indexOf("\"item_id\""),
        "a delta keeps its response_id");
  }

  @Test
  void typeScan() {
    assertEquals("a.b", RealtimeSession.typeOf("{ \"event_id\":\"x\", \"type\" :\t\"a.b\", \"x\":1}"));
    assertNull(RealtimeSession.typeOf("{\"type\":1}"));
    assertNull(RealtimeSession.typeOf("{\"type\":\"unterminated"));
  }
}
