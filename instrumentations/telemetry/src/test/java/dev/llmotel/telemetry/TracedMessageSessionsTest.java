package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.MessageDialect;
import dev.llmotel.dialect.MessageDialectSession;
import dev.llmotel.dialect.TurnSink;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.MessageSession;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A message session's span and its turns' child spans, through a scripted message dialect. */
class TracedMessageSessionsTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final List<CallRecord> calls = new java.util.ArrayList<>();
  private TracedMessageSessions factory;

  /** Texts "begin X", "chunk X", "end X" drive turns; the session is the route /scripted. */
  static final class ScriptedMessageDialect implements MessageDialect {
    @Override public String name() { return "scripted"; }
    @Override public int precedence() { return 1; }

    @Override
    public MessageDialectSession open(ExchangeRequest request, DialectContext context, TurnSink turns) {
      if (!request.path().equals("/scripted")) return null;
      CallFacts facts = new CallFacts();
      facts.request.operationName = "realtime";
      facts.request.model = "m";
      Map<String, CallFacts> open = new HashMap<>();
      return new MessageDialectSession() {
        @Override public CallFacts facts() { return facts; }
        @Override public void onOpen(long nanos, int status, HeaderLookup headers) { facts.response.httpStatus = status; }
        @Override public void onBinary(long nanos, boolean sent, long length) {}

        @Override
        public int maxMessageChars(boolean sent, CharSequence start) {
          return start.toString().startsWith("chunk") ? "chunk r1".length() : Integer.MAX_VALUE;
        }

        @Override
        public void onText(long nanos, boolean sent, CharSequence message, boolean cut) {
          String[] w = message.toString().split(" ");
          if (w[0].equals("begin")) {
            CallFacts t = new CallFacts();
            t.request.operationName = "chat";
            t.request.model = "m";
            t.response.id = w[1];
            t.stream.streamed = true;
            open.put(w[1], t);
            turns.begun(t, nanos);
          } else if (w[0].equals("chunk") && w.length == 2) { // "chunk r1 AAAA" has not been cut
            open.get(w[1]).stream.setBytesArrivedNanos(nanos);
            open.get(w[1]).stream.chunkArrived();
          } else if (w[0].equals("end")) {
            CallFacts t = open.remove(w[1]);
            t.usage.inputTokens = 3;
            t.usage.outputTokens = 5;
            turns.ended(t, nanos);
          } else if (w[0].equals("throw")) {
            throw new IllegalStateException("dialect bug");
          }
        }

        @Override
        public void onEnd(long nanos, int code, String reason, Throwable error) {
          for (CallFacts t : open.values()) {
            t.response.errorType = "stream_truncated";
            turns.ended(t, nanos);
          }
          open.clear();
          if (error != null) facts.response.errorType = error.getClass().getName();
        }
      };
    }
  }

  @BeforeEach
  void setUp() {
    SdkTracerProvider tracing = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(metrics).build();
    InferenceTelemetry telemetry = new InferenceTelemetry(InferenceSpans.builder(tracing.get("test")).build(),
        new InferenceMetrics(meters.get("test")), null);
    factory = TracedMessageSessions.builder(
            Collections.<MessageDialect>singletonList(new ScriptedMessageDialect()), Pending.of(telemetry))
        .listener(calls::add)
        .build();
  }

  private MessageSession begin(String path) {
    return factory.begin(new ExchangeRequest("GET", "ws", "localhost", 8080, path, null, HeaderLookup.NONE));
  }

  private SpanData span(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + exporter.getFinishedSpanItems()));
  }

  @Test
  void otherRoutesAreNotSessions() {
    assertNull(begin("/v1/chat/completions"));
  }

  @Test
  void sessionSpanWithOneChildPerTurn() throws Exception {
    MessageSession s = begin("/scripted");
    assertNotNull(s);
    String traceparent = s.propagationHeaders().get("traceparent");
    assertNotNull(traceparent);
    s.opened(101, HeaderLookup.NONE);
    s.textSent("begin r1", true);
    Thread.sleep(5);
    s.textReceived("chunk r1 AAAA", false); // joined only as far as the dialect reads it
    s.textReceived("AAAAAAAA", true);
    s.textReceived("end r1", true);
    s.textSent("begin r2", true);
    s.textReceived("throw", true); // a dialect that throws degrades nothing
    assertEquals(1, exporter.getFinishedSpanItems().size(), "r1 recorded as it ended, before the session");
    s.closed(1000, "bye");
    s.closed(1000, "again");
    s.failed(new RuntimeException("late"));

    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(3, spans.size());
    SpanData session = span("realtime m");
    assertTrue(traceparent.contains(session.getSpanContext().getSpanId()));
    assertEquals(101L, session.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertNull(session.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
    assertEquals(StatusCode.UNSET, session.getStatus().getStatusCode());
    SpanData r1 = spans.stream().filter(x -> "r1".equals(x.getAttributes().get(AttributeKey.stringKey("gen_ai.response.id"))))
        .findFirst().get();
    SpanData r2 = spans.stream().filter(x -> "r2".equals(x.getAttributes().get(AttributeKey.stringKey("gen_ai.response.id"))))
        .findFirst().get();
    for (SpanData r : new SpanData[] {r1, r2}) {
      assertEquals("chat m", r.getName());
      assertEquals(session.getSpanContext().getSpanId(), r.getParentSpanId());
      assertEquals(session.getTraceId(), r.getTraceId());
      assertTrue(r.getStartEpochNanos() >= session.getStartEpochNanos());
      assertTrue(r.getEndEpochNanos() <= session.getEndEpochNanos());
    }
    assertEquals(3L, r1.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
    Double ttfc = r1.getAttributes().get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk"));
    assertNotNull(ttfc);
    assertTrue(ttfc >= 0.004, "from the turn's begin: " + ttfc);
    assertEquals(StatusCode.ERROR, r2.getStatus().getStatusCode(), "closed mid-turn");
    assertEquals("stream_truncated", r2.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(2, calls.size(), "the listener hears of the turns, not of the session");
  }

  @Test
  void sessionsStillOpenAtExitEndThere() {
    MessageSession done = begin("/scripted");
    done.closed(1000, "");
    MessageSession s = begin("/scripted");
    s.textSent("begin r1", true);
    assertEquals(1, factory.openSessions(), "only the open one is held");
    factory.endAtExit();
    assertEquals(0, factory.openSessions());
    assertEquals(3, exporter.getFinishedSpanItems().size());
    SpanData r1 = span("chat m");
    assertEquals("stream_truncated", r1.getAttributes().get(AttributeKey.stringKey("error.type")));
    s.closed(1000, "after exit: ignored");
    assertEquals(3, exporter.getFinishedSpanItems().size());
  }

  @Test
  void failureEndsTheSessionAsAnError() {
    MessageSession s = begin("/scripted");
    s.textSent("begin r1", true);
    s.failed(new java.io.IOException("reset"));
    SpanData session = span("realtime m");
    assertEquals(StatusCode.ERROR, session.getStatus().getStatusCode());
    assertEquals("java.io.IOException", session.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(2, exporter.getFinishedSpanItems().size());
  }

  /**
   * The reader thread records an ended turn and tells the listener after releasing the session's lock: a listener
   * (or an exporter) that takes its time never holds up the application's sends.
   */
  @Test
  void aSlowListenerNeverHoldsUpTheApplicationsSends() throws Exception {
    java.util.concurrent.CountDownLatch inListener = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
    InferenceTelemetry telemetry = new InferenceTelemetry(InferenceSpans.builder(tracing.get("test")).build(),
        new InferenceMetrics(SdkMeterProvider.builder().build().get("test")), null);
    TracedMessageSessions slow = TracedMessageSessions.builder(
            Collections.<MessageDialect>singletonList(new ScriptedMessageDialect()), Pending.of(telemetry))
        .listener(call -> {
          inListener.countDown();
          try {
            release.await(10, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        })
        .build();
    MessageSession s = slow.begin(new ExchangeRequest("GET", "ws", "localhost", 8080, "/scripted", null,
        HeaderLookup.NONE));
    s.textSent("begin r1", true);
    Thread reader = new Thread(() -> s.textReceived("end r1", true));
    reader.start();
    try {
      assertTrue(inListener.await(5, java.util.concurrent.TimeUnit.SECONDS));
      java.util.concurrent.CompletableFuture<Void> send =
          java.util.concurrent.CompletableFuture.runAsync(() -> s.textSent("begin r2", true));
      send.get(5, java.util.concurrent.TimeUnit.SECONDS); // times out while the lock is held during the listener
      assertEquals(1, exporter.getFinishedSpanItems().size(), "r1 recorded before its listener was told");
    } finally {
      release.countDown();
      reader.join();
    }
    s.closed(1000, "bye");
    assertEquals(3, exporter.getFinishedSpanItems().size());
  }

  private TracedMessageSessions beforeTheSdkIsUp(Pending<InferenceTelemetry> pending, boolean defaultSampler) {
    return TracedMessageSessions.builder(
            Collections.<MessageDialect>singletonList(new ScriptedMessageDialect()), pending)
        .listener(calls::add)
        .defaultSampler(defaultSampler)
        .build();
  }

  private InferenceTelemetry telemetry() {
    SdkTracerProvider tracing = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    return new InferenceTelemetry(InferenceSpans.builder(tracing.get("test")).build(),
        new InferenceMetrics(SdkMeterProvider.builder().registerMetricReader(metrics).build().get("test")), null);
  }

  @Test
  void aSessionBegunAndEndedBeforeTheSdkIsUpIsRecordedOnceItIs() {
    Pending<InferenceTelemetry> pending = new Pending<>();
    MessageSession s = beforeTheSdkIsUp(pending, true)
        .begin(new ExchangeRequest("GET", "ws", "localhost", 8080, "/scripted", null, HeaderLookup.NONE));
    assertNotNull(s, "traced although the SDK is not up");
    String traceparent = s.propagationHeaders().get("traceparent");
    assertNotNull(traceparent);
    s.opened(101, HeaderLookup.NONE);
    s.textSent("begin r1", true);
    s.textReceived("end r1", true);
    s.closed(1000, "bye");
    assertTrue(exporter.getFinishedSpanItems().isEmpty());

    pending.complete(telemetry());
    SpanData session = span("realtime m");
    SpanData turn = span("chat m");
    assertEquals(session.getSpanId(), turn.getParentSpanId());
    assertTrue(traceparent.contains(session.getTraceId() + "-" + session.getSpanId()), traceparent);
    assertEquals(1, calls.size(), "the turn told to the listener once recorded");
  }

  @Test
  void withAnotherSamplerOrAFailedSdkASessionBeforeItIsUpGoesUntraced() {
    ExchangeRequest request = new ExchangeRequest("GET", "ws", "localhost", 8080, "/scripted", null, HeaderLookup.NONE);
    assertNull(beforeTheSdkIsUp(new Pending<>(), false).begin(request));
    Pending<InferenceTelemetry> failed = new Pending<>();
    failed.fail();
    assertNull(beforeTheSdkIsUp(failed, true).begin(request));
  }
}
