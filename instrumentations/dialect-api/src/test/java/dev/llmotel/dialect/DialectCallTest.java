package dev.llmotel.dialect;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.StreamOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol-neutral rules, exercised through {@link DialectCall} with a dialect that knows nothing but its end
 * marker ('$') and what a chunk is (each 'x'): status, error type, event-stream detection, a proxy's cost, and the
 * completed / abandoned / truncated / failed outcome are the rules' alone.
 */
class DialectCallTest {
  /** Records what the call tells it; throws on '!' to prove isolation. */
  static final class MarkerSession implements DialectSession {
    final CallFacts facts = new CallFacts();
    final List<String> seen = new ArrayList<>();
    boolean asksForStream;

    @Override public CallFacts facts() { return facts; }

    @Override
    public void onRequestBody(byte[] b, int off, int len) {
      seen.add("request-body");
    }

    @Override
    public void onRequestBodyEnd() {
      seen.add("request-end");
      if (asksForStream) facts.stream.streamed = true;
    }

    @Override
    public void onResponse(int status, HeaderLookup headers) {
      seen.add("response " + facts.response.httpStatus + " " + facts.response.eventStream);
    }

    @Override
    public void onResponseBody(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        if (b[i] == '!') throw new IllegalStateException("dialect bug");
        if (b[i] == 'x') facts.stream.chunkArrived();
        if (b[i] == '$') facts.stream.markEnd();
      }
    }

    @Override
    public void onResponseEnd(boolean complete) {
      seen.add("end " + complete);
    }
  }

  private static HeaderLookup contentType(String value) {
    return name -> name.equalsIgnoreCase("Content-Type") ? value : null;
  }

  private static boolean body(DialectCall call, long nanos, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return call.responseBody(nanos, b, 0, b.length);
  }

  @Test
  void theRequestEndsOnceBeforeTheDialectSeesTheResponseWhoseHeadersAreAlreadyApplied() {
    MarkerSession s = new MarkerSession();
    DialectCall call = new DialectCall(s);
    call.response(200, contentType("text/event-stream; charset=utf-8"));
    call.requestBodyEnd();
    assertEquals(List.of("request-end", "response 200 true"), s.seen);
    assertTrue(s.facts.stream.streamed);
    assertNull(s.facts.response.errorType);
  }

  @Test
  void anErrorStatusIsTheErrorTypeUntilTheDialectSaysMore() {
    MarkerSession s = new MarkerSession();
    new DialectCall(s).response(429, contentType("application/json"));
    assertEquals("429", s.facts.response.errorType);
    assertFalse(s.facts.response.eventStream);
  }

  @Test
  void eventStreamsAreTextEventStreamOrNdjsonOrWhatAStreamingRequestGotWithoutAContentType() {
    assertTrue(ResponseRules.isEventStream("text/event-stream", 200, false));
    assertTrue(ResponseRules.isEventStream("application/x-ndjson", 200, false));
    assertTrue(ResponseRules.isEventStream("application/vnd.amazon.eventstream", 200, false));
    assertFalse(ResponseRules.isEventStream("application/json", 200, true));
    assertTrue(ResponseRules.isEventStream(null, 200, true));
    assertFalse(ResponseRules.isEventStream(null, 500, true));
    assertFalse(ResponseRules.isEventStream(null, 200, false));
  }

  @Test
  void aProxysReportedCostIsKeptWhenItIsANumber() {
    MarkerSession s = new MarkerSession();
    new DialectCall(s).response(200, name -> name.equals("x-litellm-response-cost") ? " 0.0042 " : null);
    assertEquals(0.0042, s.facts.response.reportedCostUsd);
    MarkerSession bad = new MarkerSession();
    new DialectCall(bad).response(200, name -> name.equals("x-litellm-response-cost") ? "-1" : null);
    assertNull(bad.facts.response.reportedCostUsd);
  }

  @Test
  void theEndMarkerEndsTheCallAtOnceAsCompletedWithTheChunksTimes() {
    MarkerSession s = new MarkerSession();
    DialectCall call = new DialectCall(s);
    call.response(200, contentType("text/event-stream"));
    assertFalse(body(call, 1_000, "x"));
    assertTrue(body(call, 2_000, "x$"));
    assertEquals(StreamOutcome.COMPLETED, s.facts.stream.outcome);
    assertEquals(2, s.facts.stream.chunkCount);
    assertEquals(1_000, s.facts.stream.firstChunkNanos);
    assertEquals(2_000, s.facts.stream.lastChunkNanos);
    assertEquals(900, s.facts.stream.timeToFirstChunkNanos(100));
    call.responseEnd(false); // a close after the end changes nothing
    assertEquals(StreamOutcome.COMPLETED, s.facts.stream.outcome);
  }

  @Test
  void aStreamClosedEarlyIsAbandonedNotAnError() {
    MarkerSession s = new MarkerSession();
    DialectCall call = new DialectCall(s);
    call.response(200, contentType("text/event-stream"));
    body(call, 1, "x");
    call.responseEnd(false);
    assertEquals(StreamOutcome.ABANDONED, s.facts.stream.outcome);
    assertNull(s.facts.response.errorType);
  }

  @Test
  void aStreamReadToItsEndWithoutTheMarkerIsTruncatedAndAnError() {
    MarkerSession s = new MarkerSession();
    DialectCall call = new DialectCall(s);
    call.response(200, contentType("text/event-stream"));
    body(call, 1, "xx");
    call.responseEnd(true);
    assertEquals(StreamOutcome.TRUNCATED, s.facts.stream.outcome);
    assertEquals("stream_truncated", s.facts.response.errorType);
  }

  @Test
  void aTransportFailureMidStreamIsFailedWithTheExceptionsClass() {
    MarkerSession s = new MarkerSession();
    DialectCall call = new DialectCall(s);
    call.response(200, contentType("text/event-stream"));
    call.failed(new java.net.SocketTimeoutException("read timed out"));
    assertEquals(StreamOutcome.FAILED, s.facts.stream.outcome);
    assertEquals("java.net.SocketTimeoutException", s.facts.response.errorType);
    assertEquals("read timed out", s.facts.response.errorMessage);
  }

  @Test
  void anErrorResponseToAStreamingRequestHasNoStreamOutcome() {
    MarkerSession s = new MarkerSession();
    s.asksForStream = true;
    DialectCall call = new DialectCall(s);
    call.response(400, contentType("application/json"));
    body(call, 1, "{}");
    call.responseEnd(true);
    assertNull(s.facts.stream.outcome);
    assertEquals("400", s.facts.response.errorType);
  }

  @Test
  void aPlainResponseHasNoStreamOutcome() {
    MarkerSession s = new MarkerSession();
    DialectCall call = new DialectCall(s);
    call.response(200, contentType("application/json"));
    call.responseEnd(true);
    assertNull(s.facts.stream.outcome);
    assertFalse(s.facts.stream.streamed);
    assertEquals(-1, s.facts.stream.timeToFirstChunkNanos(0));
  }

  @Test
  void aThrowingDialectNeverReachesTheCaller() {
    MarkerSession s = new MarkerSession();
    DialectCall call = new DialectCall(s);
    call.response(200, contentType("text/event-stream"));
    assertDoesNotThrow(() -> body(call, 1, "x!x"));
    assertDoesNotThrow(() -> call.responseEnd(true));
    assertEquals(StreamOutcome.TRUNCATED, s.facts.stream.outcome);
  }
}
