package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.ExchangeWorker;
import dev.llmotel.exchange.HeaderLookup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls that span several exchanges: one span from the opening exchange to the one that ends the call. */
class ContinuedCallsTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private SdkTracerProvider provider;

  /**
   * {@code POST /turn/open}: opens a call; its response body is the key. {@code GET /turn/part/{key}}: continues it;
   * each 'x' in the body is a chunk, 'u' reports 7 output tokens, 'E' ends the call, 'F' ends it failed ("boom"),
   * '4' fails this part only (its end marker). {@code POST /turn/abort}: the request body is the key.
   */
  static final class TurnDialect implements Dialect {
    @Override public String name() { return "turn"; }
    @Override public int precedence() { return SPECIFIC; }

    @Override
    public DialectSession open(ExchangeRequest req, DialectContext context) {
      if (!req.path().startsWith("/turn/")) return null;
      CallFacts facts = new CallFacts();
      facts.request.operationName = "chat";
      facts.request.providerName = "turnish";
      facts.request.model = "m";
      boolean opens = req.path().equals("/turn/open");
      boolean abort = req.path().equals("/turn/abort");
      if (opens) facts.continuation.opens();
      else if (req.path().startsWith("/turn/part/")) facts.continuation.continues(req.path().substring(11));
      else facts.continuation.continues(null);
      StringBuilder body = new StringBuilder();
      StringBuilder requestBody = new StringBuilder();
      return new DialectSession() {
        @Override public CallFacts facts() { return facts; }
        @Override public void onRequestBody(byte[] b, int off, int len) {
          requestBody.append(new String(b, off, len, StandardCharsets.UTF_8));
        }
        @Override public void onRequestBodyEnd() {
          if (abort) facts.continuation.addKey(requestBody.toString());
        }
        @Override public void onResponse(int status, HeaderLookup headers) {}
        @Override public void onResponseBody(byte[] b, int off, int len) {
          String s = new String(b, off, len, StandardCharsets.UTF_8);
          if (opens) {
            body.append(s);
            return;
          }
          for (char c : s.toCharArray()) {
            if (c == 'x') facts.stream.chunkArrived();
            if (c == 'u') facts.usage.outputTokens = 7;
            if (c == 'E') {
              facts.continuation.end();
              facts.stream.markEnd();
            }
            if (c == '4') facts.response.errorType = "404";
            if (c == 'F') {
              facts.response.errorType = "boom";
              facts.continuation.end();
            }
          }
        }
        @Override public void onResponseEnd(boolean complete) {
          if (opens && body.length() > 0) facts.continuation.addKey(body.toString());
          if (abort) {
            facts.response.errorType = "aborted";
            facts.continuation.end();
          }
        }
      };
    }
  }

  @BeforeEach
  void setUp() {
    provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  }

  private TracedExchanges factory(int maxOpen, long idleMillis) {
    return TracedExchanges.builder(Collections.singletonList(new TurnDialect()),
        Pending.of(new InferenceTelemetry(InferenceSpans.builder(provider.get("test")).build(), null, null)))
        .queues(new ExchangeQueues(ExchangeWorker.inline(), 0, 0))
        .continuedCalls(maxOpen, idleMillis)
        .build();
  }

  private static ExchangeRequest request(String method, String path) {
    return new ExchangeRequest(method, "http", "chat.example", 3080, path, null, HeaderLookup.NONE);
  }

  private static HeaderLookup headers(String contentType) {
    return name -> name.equalsIgnoreCase("content-type") ? contentType : null;
  }

  private static Exchange exchange(TracedExchanges f, String method, String path, String requestBody, int status,
      String contentType, String body, boolean end) {
    Exchange ex = f.begin(request(method, path));
    assertNotNull(ex);
    byte[] rb = requestBody.getBytes(StandardCharsets.UTF_8);
    if (rb.length > 0) ex.requestBody(rb, 0, rb.length);
    ex.requestBodyEnd();
    ex.response(status, headers(contentType));
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    if (b.length > 0) ex.responseBody(b, 0, b.length);
    if (end) ex.responseBodyEnd();
    return ex;
  }

  private static Exchange open(TracedExchanges f, String key) {
    return exchange(f, "POST", "/turn/open", "q", 200, "application/json", key, true);
  }

  private List<SpanData> spans() {
    return exporter.getFinishedSpanItems();
  }

  private static Object attr(SpanData span, String name) {
    for (java.util.Map.Entry<AttributeKey<?>, Object> e : span.getAttributes().asMap().entrySet()) {
      if (e.getKey().getKey().equals(name)) return e.getValue();
    }
    return null;
  }

  @Test
  void oneSpanFromTheOpeningExchangeToTheOneThatEndsTheCall() throws Exception {
    TracedExchanges f = factory(8, 0);
    Span app = provider.get("app").spanBuilder("app").startSpan();
    Exchange opening;
    try (Scope ignored = app.makeCurrent()) {
      opening = open(f, "k1");
    }
    assertTrue(spans().isEmpty(), "the call is open");
    Thread.sleep(5);
    Exchange poll = exchange(f, "GET", "/turn/part/k1", "", 500, "application/json", "4", true);
    assertTrue(spans().isEmpty(), "a failed part that does not end the call neither ends nor fails it");
    Exchange stream = exchange(f, "GET", "/turn/part/k1", "", 200, "text/event-stream", "xxu", false);
    assertEquals(opening.propagationHeaders(), stream.propagationHeaders(), "a part carries the call's context");
    assertEquals(opening.propagationHeaders(), poll.propagationHeaders());
    assertTrue(spans().isEmpty());
    byte[] end = "xE".getBytes(StandardCharsets.UTF_8);
    stream.responseBody(end, 0, end.length);
    stream.responseBodyEnd();
    app.end();

    List<SpanData> spans = spans();
    assertEquals(2, spans.size(), "the call's span and the app's");
    SpanData call = spans.get(0);
    assertEquals("chat m", call.getName());
    assertEquals(app.getSpanContext().getSpanId(), call.getParentSpanId(), "under the app's span at the open");
    assertEquals("00-" + call.getTraceId() + "-" + call.getSpanId() + "-01",
        opening.propagationHeaders().get("traceparent"));
    assertEquals(7L, attr(call, "gen_ai.usage.output_tokens"));
    assertEquals(3L, attr(call, "llmotel.stream.chunks"));
    assertTrue((Double) attr(call, "gen_ai.response.time_to_first_chunk") >= 0.004, "from the open, not the part");
    assertEquals(200L, attr(call, "http.response.status_code"));
    assertNull(attr(call, "error.type"));
    assertEquals(StatusCode.UNSET, call.getStatus().getStatusCode());
    assertTrue(call.getEndEpochNanos() - call.getStartEpochNanos() >= 5_000_000L);
    // later exchanges for the ended call record nothing
    exchange(f, "GET", "/turn/part/k1", "", 200, "application/json", "E", true);
    exchange(f, "GET", "/turn/part/unknown", "", 200, "application/json", "E", true);
    assertEquals(2, spans().size());
  }

  /**
   * An open call waits up to the idle limit: it keeps its facts and request line, not the opening request's headers
   * (which may reach into the application's request, its Authorization included) nor the dialect's readers.
   */
  @Test
  void anOpenCallHoldsNeitherTheOpeningRequestsHeadersNorItsDialectSession() throws Exception {
    TracedExchanges f = factory(8, 0);
    String jwt = "Bearer secret-jwt-" + System.nanoTime();
    // capturing: a new object (a lambda that captures nothing is one shared instance, never collected)
    HeaderLookup appHeaders = name -> name.equalsIgnoreCase("authorization") ? jwt : null;
    java.lang.ref.WeakReference<HeaderLookup> held = new java.lang.ref.WeakReference<>(appHeaders);
    Exchange opening = f.begin(new ExchangeRequest("POST", "http", "chat.example", 3080, "/turn/open", null,
        appHeaders));
    appHeaders = null;
    byte[] q = "q".getBytes(StandardCharsets.UTF_8);
    opening.requestBody(q, 0, 1);
    opening.requestBodyEnd();
    opening.response(200, headers("application/json"));
    byte[] key = "k9".getBytes(StandardCharsets.UTF_8);
    opening.responseBody(key, 0, key.length);
    opening.responseBodyEnd();
    for (int i = 0; i < 50 && held.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertNull(held.get(), "the open call still holds the opening request's headers");
    exchange(f, "GET", "/turn/part/k9", "", 200, "text/event-stream", "xuE", true);
    SpanData call = spans().get(0);
    assertEquals("chat m", call.getName());
    assertEquals("chat.example", attr(call, "server.address"));
    assertEquals(7L, attr(call, "gen_ai.usage.output_tokens"));
  }

  @Test
  void anEndingPartsErrorIsTheCalls() {
    TracedExchanges f = factory(8, 0);
    open(f, "k2");
    exchange(f, "GET", "/turn/part/k2", "", 200, "text/event-stream", "xF", true);
    SpanData call = spans().get(0);
    assertEquals("boom", attr(call, "error.type"));
    assertEquals(StatusCode.ERROR, call.getStatus().getStatusCode());
    open(f, "k3");
    exchange(f, "POST", "/turn/abort", "k3", 200, "application/json", "", true);
    assertEquals("aborted", attr(spans().get(1), "error.type"));
  }

  @Test
  void anOpeningExchangeThatFailsOrNamesNoKeyIsACallOfItsOwn() {
    TracedExchanges f = factory(8, 0);
    exchange(f, "POST", "/turn/open", "q", 401, "application/json", "k4", true);
    assertEquals("401", attr(spans().get(0), "error.type"));
    open(f, "");
    assertEquals(2, spans().size());
    assertNull(attr(spans().get(1), "error.type"));
  }

  @Test
  void aCallNotContinuedWithinTheIdleLimitEndsAsTimedOut() throws Exception {
    TracedExchanges f = factory(8, 150);
    open(f, "idle");
    open(f, "busy");
    // a part in flight keeps its call open however long it takes
    Exchange inFlight = exchange(f, "GET", "/turn/part/busy", "", 200, "text/event-stream", "x", false);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (spans().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
    Thread.sleep(400);
    assertEquals(1, spans().size());
    SpanData idle = spans().get(0);
    assertEquals("timeout", attr(idle, "error.type"));
    assertEquals("idle_limit", attr(idle, "llmotel.continuation.end"));
    assertEquals(StatusCode.ERROR, idle.getStatus().getStatusCode());
    assertTrue(idle.getEndEpochNanos() - idle.getStartEpochNanos() < 150_000_000L,
        "it ends when it was last continued, not when the limit found it");
    byte[] end = "E".getBytes(StandardCharsets.UTF_8);
    inFlight.responseBody(end, 0, end.length);
    inFlight.responseBodyEnd();
    assertEquals(2, spans().size());
    assertNull(attr(spans().get(1), "error.type"));
  }

  @Test
  void aPartBegunBeforeItsCallOpenedCarriesTheAppsContextAndCountsInFlight() throws Exception {
    TracedExchanges f = factory(8, 150);
    Span app = provider.get("app").spanBuilder("app").startSpan();
    Exchange opening;
    Exchange early;
    try (Scope ignored = app.makeCurrent()) {
      // the opening exchange is not over yet (a background worker has not processed its end) when the part begins
      opening = f.begin(request("POST", "/turn/open"));
      opening.requestBodyEnd();
      opening.response(200, headers("application/json"));
      byte[] key = "k5".getBytes(StandardCharsets.UTF_8);
      opening.responseBody(key, 0, key.length);
      early = exchange(f, "GET", "/turn/part/k5", "", 200, "text/event-stream", "x", false);
      opening.responseBodyEnd();
    }
    assertEquals("00-" + app.getSpanContext().getTraceId() + "-" + app.getSpanContext().getSpanId() + "-01",
        early.propagationHeaders().get("traceparent"), "the app's context, never an id no span will have");
    try (Scope ignored = Context.root().makeCurrent()) {
      Exchange orphan = exchange(f, "GET", "/turn/part/nowhere", "", 200, "text/event-stream", "x", false);
      assertTrue(orphan.propagationHeaders().isEmpty(), "without an app span: no context at all");
      orphan.responseBodyClosed();
    }
    Thread.sleep(500);
    assertTrue(spans().isEmpty(), "the part in flight keeps its call open past the idle limit");
    byte[] end = "E".getBytes(StandardCharsets.UTF_8);
    early.responseBody(end, 0, end.length);
    early.responseBodyEnd();
    assertEquals(1, spans().size());
    assertNull(attr(spans().get(0), "error.type"));
    assertEquals(app.getSpanContext().getSpanId(), spans().get(0).getParentSpanId());
    app.end();
  }

  @Test
  void openCallsAreCappedAndEndAtExit() {
    TracedExchanges f = factory(2, 0);
    open(f, "a");
    open(f, "b");
    open(f, "c");
    assertEquals(1, spans().size());
    assertEquals("capacity", attr(spans().get(0), "llmotel.continuation.end"));
    assertEquals("unfinished", attr(spans().get(0), "error.type"));
    open(f, "c");
    assertEquals("superseded", attr(spans().get(1), "llmotel.continuation.end"));
    f.endAtExit(100);
    assertEquals(4, spans().size());
    assertEquals("shutdown", attr(spans().get(3), "llmotel.continuation.end"));
  }
}
