package dev.llmotel.apibridge.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.telemetry.AppSpan;
import dev.llmotel.telemetry.AppTracing;
import dev.llmotel.telemetry.AppTracingRegistry;
import dev.llmotel.telemetry.Pending;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bridge over the real API 1.0.0, loaded as ordinary classes, recording into a fake {@link AppTracing}. */
class BridgedTracingTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN_ID = "b7ad6b7169203331";

  private final RecordingAppTracing tracing = new RecordingAppTracing();
  private OpenTelemetry openTelemetry;
  private Tracer tracer;

  @BeforeEach
  void installBridge() {
    AppTracingRegistry.install(tracing);
    openTelemetry = (OpenTelemetry) new GlobalOpenTelemetryReplacement()
        .replace(OpenTelemetry.noop(), GlobalOpenTelemetry.class);
    tracer = openTelemetry.getTracer("app", "1.2.3");
  }

  @AfterEach
  void uninstall() {
    AppTracingRegistry.install(null, 0);
  }

  @Test
  void childOfTheCurrentSpanThroughMakeCurrent() {
    Span root = tracer.spanBuilder("app.request").setSpanKind(SpanKind.SERVER).startSpan();
    Span child;
    try (Scope ignored = root.makeCurrent()) {
      assertSame(root, Span.current());
      child = tracer.spanBuilder("app.step").startSpan();
      child.end();
    } finally {
      root.end();
    }
    RecordingAppTracing.Recorded r = tracing.named("app.request");
    RecordingAppTracing.Recorded c = tracing.named("app.step");
    assertNull(r.parent);
    assertEquals(r.spanId, c.parent.spanId());
    assertEquals(r.traceId, c.parent.traceId());
    assertFalse(c.parent.remote());
    assertEquals(r.traceId, c.traceId);
    assertEquals("app", c.scopeName);
    assertEquals("1.2.3", c.scopeVersion);
    assertEquals(AppTracing.KIND_SERVER, r.kind);
    assertEquals(AppTracing.KIND_INTERNAL, c.kind);
    assertEquals(1, r.endCalls);
    assertEquals(0, r.endEpochNanos);
    assertEquals(c.spanId, child.getSpanContext().getSpanId());
  }

  @Test
  void childThroughSetParentOutsideAnyScope() {
    Span root = tracer.spanBuilder("root").startSpan();
    Span child = tracer.spanBuilder("child").setParent(Context.root().with(root)).startSpan();
    Span grandChild = tracer.spanBuilder("grandchild").setParent(Context.current().with(child)).startSpan();
    assertEquals(root.getSpanContext().getSpanId(), tracing.named("child").parent.spanId());
    assertEquals(child.getSpanContext().getSpanId(), tracing.named("grandchild").parent.spanId());
    assertEquals(root.getSpanContext().getTraceId(), grandChild.getSpanContext().getTraceId());
  }

  @Test
  void setNoParentAndAnEmptyContextMakeRootSpans() {
    Span root = tracer.spanBuilder("root").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      tracer.spanBuilder("detached").setNoParent().startSpan();
      tracer.spanBuilder("from-root-context").setParent(Context.root()).startSpan();
      tracer.spanBuilder("late-parent").setNoParent().setParent(Context.root().with(root)).startSpan();
    }
    assertNull(tracing.named("detached").parent);
    assertNull(tracing.named("from-root-context").parent);
    assertEquals(root.getSpanContext().getSpanId(), tracing.named("late-parent").parent.spanId());
  }

  @Test
  void remoteParentFromTheBridgedPropagatorsAndInjectionOfTheCurrentSpan() {
    Map<String, String> incoming = new HashMap<>();
    incoming.put("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    incoming.put("tracestate", "vendor=value");
    Context extracted = openTelemetry.getPropagators().getTextMapPropagator()
        .extract(Context.root(), incoming, MapGetter.INSTANCE);

    Span server = tracer.spanBuilder("server").setParent(extracted).setSpanKind(SpanKind.SERVER).startSpan();
    RecordingAppTracing.Recorded s = tracing.named("server");
    assertEquals(TRACE_ID, s.parent.traceId());
    assertEquals(SPAN_ID, s.parent.spanId());
    assertTrue(s.parent.remote());
    assertEquals(1, s.parent.traceFlags());
    assertEquals("value", server.getSpanContext().getTraceState().get("vendor"), "trace state carried on");

    Map<String, String> outgoing = new HashMap<>();
    try (Scope ignored = server.makeCurrent()) {
      openTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), outgoing, Map::put);
    }
    assertEquals("00-" + TRACE_ID + "-" + s.spanId + "-01", outgoing.get("traceparent"));
    assertEquals("vendor=value", outgoing.get("tracestate"));
  }

  @Test
  void attributesOfEveryTypeOnBuilderAndSpan() {
    Span span = tracer.spanBuilder("attrs")
        .setAttribute("b.string", "s")
        .setAttribute("b.long", 7L)
        .setAttribute("b.double", 1.5)
        .setAttribute("b.bool", true)
        .setAttribute(AttributeKey.stringArrayKey("b.strings"), List.of("x", "y"))
        .setAttribute(AttributeKey.longArrayKey("b.longs"), List.of(1L, 2L))
        .setAttribute(AttributeKey.doubleArrayKey("b.doubles"), List.of(0.5))
        .setAttribute(AttributeKey.booleanArrayKey("b.bools"), List.of(true, false))
        .setAttribute("b.null", (String) null)
        .setAttribute(AttributeKey.stringKey(""), "empty key dropped")
        .startSpan();
    span.setAttribute("s.string", "t")
        .setAttribute("s.long", 8L)
        .setAttribute("s.double", 2.5)
        .setAttribute("s.bool", false)
        .setAttribute(AttributeKey.longKey("s.int"), 3)
        .setAttribute(AttributeKey.stringArrayKey("s.strings"), List.of("z"))
        .setAttribute(AttributeKey.longArrayKey("s.longs"), List.of(4L))
        .setAttribute(AttributeKey.doubleArrayKey("s.doubles"), List.of(4.5, 5.5))
        .setAttribute(AttributeKey.booleanArrayKey("s.bools"), List.of(false))
        .setAttribute((AttributeKey<String>) null, "ignored")
        .setAttribute("s.null", (String) null);
    Map<String, Object> expected = new java.util.LinkedHashMap<>();
    expected.put("b.string", "s");
    expected.put("b.long", 7L);
    expected.put("b.double", 1.5);
    expected.put("b.bool", true);
    expected.put("b.strings", List.of("x", "y"));
    expected.put("b.longs", List.of(1L, 2L));
    expected.put("b.doubles", List.of(0.5));
    expected.put("b.bools", List.of(true, false));
    expected.put("s.string", "t");
    expected.put("s.long", 8L);
    expected.put("s.double", 2.5);
    expected.put("s.bool", false);
    expected.put("s.int", 3L);
    expected.put("s.strings", List.of("z"));
    expected.put("s.longs", List.of(4L));
    expected.put("s.doubles", List.of(4.5, 5.5));
    expected.put("s.bools", List.of(false));
    assertEquals(expected, tracing.named("attrs").attributes);
  }

  @Test
  void statusEventsExceptionNameAndEndTime() {
    Span span = tracer.spanBuilder("work").startSpan();
    span.addEvent("plain");
    span.addEvent("with-attrs", Attributes.of(AttributeKey.longKey("n"), 2L, AttributeKey.stringKey("k"), "v"));
    span.addEvent("timed", 1_000L, TimeUnit.MILLISECONDS);
    span.addEvent("timed-attrs", Attributes.of(AttributeKey.booleanKey("ok"), true), Instant.ofEpochSecond(2, 5));
    IllegalStateException boom = new IllegalStateException("boom");
    span.recordException(boom);
    span.recordException(boom, Attributes.of(AttributeKey.stringKey("where"), "here"));
    span.setStatus(StatusCode.ERROR, "it failed");
    span.updateName("work.renamed");
    span.end(3, TimeUnit.SECONDS);

    RecordingAppTracing.Recorded r = tracing.named("work.renamed");
    assertEquals("work", r.initialName);
    assertEquals(4, r.events.size());
    assertEquals("plain", r.events.get(0)[0]);
    assertEquals(Map.of(), r.events.get(0)[1]);
    assertEquals(0L, r.events.get(0)[2]);
    assertEquals(Map.of("n", 2L, "k", "v"), r.events.get(1)[1]);
    assertEquals(1_000_000_000L, r.events.get(2)[2]);
    assertEquals(Map.of("ok", true), r.events.get(3)[1]);
    assertEquals(2_000_000_005L, r.events.get(3)[2]);
    assertEquals(2, r.exceptions.size());
    assertSame(boom, r.exceptions.get(0)[0]);
    assertEquals(Map.of("where", "here"), r.exceptions.get(1)[1]);
    assertEquals(AppSpan.STATUS_ERROR, r.status);
    assertEquals("it failed", r.statusDescription);
    assertEquals(3_000_000_000L, r.endEpochNanos);

    Span ok = tracer.spanBuilder("ok").startSpan();
    ok.setStatus(StatusCode.OK);
    assertEquals(AppSpan.STATUS_OK, tracing.named("ok").status);
    ok.setStatus(StatusCode.UNSET);
    assertEquals(AppSpan.STATUS_UNSET, tracing.named("ok").status);
  }

  @Test
  void kindsAndStartTimestamp() {
    tracer.spanBuilder("client").setSpanKind(SpanKind.CLIENT).setStartTimestamp(5, TimeUnit.MICROSECONDS).startSpan();
    tracer.spanBuilder("producer").setSpanKind(SpanKind.PRODUCER).startSpan();
    tracer.spanBuilder("consumer").setSpanKind(SpanKind.CONSUMER).startSpan();
    tracer.spanBuilder("internal").setSpanKind(SpanKind.SERVER).setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(Instant.ofEpochSecond(1)).startSpan();
    assertEquals(AppTracing.KIND_CLIENT, tracing.named("client").kind);
    assertEquals(5_000L, tracing.named("client").startEpochNanos);
    assertEquals(AppTracing.KIND_PRODUCER, tracing.named("producer").kind);
    assertEquals(0L, tracing.named("producer").startEpochNanos);
    assertEquals(AppTracing.KIND_CONSUMER, tracing.named("consumer").kind);
    assertEquals(AppTracing.KIND_INTERNAL, tracing.named("internal").kind);
    assertEquals(1_000_000_000L, tracing.named("internal").startEpochNanos);
  }

  @Test
  void spanContextIsBuiltFromTheRecordedIdsAndRecordingIsDelegated() {
    Span span = tracer.spanBuilder("ids").startSpan();
    RecordingAppTracing.Recorded r = tracing.named("ids");
    SpanContext sc = span.getSpanContext();
    assertTrue(sc.isValid());
    assertFalse(sc.isRemote());
    assertEquals(r.traceId, sc.getTraceId());
    assertEquals(r.spanId, sc.getSpanId());
    assertTrue(sc.isSampled());
    assertTrue(span.isRecording());
    tracing.recording = false;
    assertFalse(span.isRecording());
  }

  @Test
  void unsampledParentFlagsReachTheAgent() {
    SpanContext unsampled = SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getDefault(), TraceState.getDefault());
    Span span = tracer.spanBuilder("child").setParent(Context.root().with(Span.wrap(unsampled))).startSpan();
    assertEquals(0, tracing.named("child").parent.traceFlags());
    assertFalse(span.getSpanContext().isSampled());
  }

  @Test
  void withoutTelemetryTheSpanIsTheNoopOneOfItsParent() {
    AppTracingRegistry.install(null, 0);
    SpanContext remote = SpanContext.createFromRemoteParent(TRACE_ID, SPAN_ID, TraceFlags.getSampled(),
        TraceState.getDefault());
    Span span;
    try (Scope ignored = Span.wrap(remote).makeCurrent()) {
      span = tracer.spanBuilder("not-ready").startSpan();
    }
    assertFalse(span.isRecording());
    assertEquals(remote, span.getSpanContext());
    span.setAttribute("k", "v").addEvent("e").setStatus(StatusCode.ERROR).end();

    Span root = tracer.spanBuilder("not-ready-root").startSpan();
    assertFalse(root.getSpanContext().isValid());

    Pending<AppTracing> failed = new Pending<>();
    failed.fail();
    AppTracingRegistry.install(failed, 10_000);
    long t0 = System.nanoTime();
    assertFalse(tracer.spanBuilder("failed").startSpan().isRecording());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "a failed start-up is not waited for");
    assertTrue(tracing.spans.isEmpty());
  }

  @Test
  void failuresOfTheAgentNeverReachTheApplication() {
    tracing.failStart = true;
    Span parent = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    Span span = tracer.spanBuilder("start-fails").setParent(Context.root().with(parent)).startSpan();
    assertEquals(parent.getSpanContext(), span.getSpanContext());

    tracing.failStart = false;
    Span started = tracer.spanBuilder("calls-fail").startSpan();
    tracing.failSpanCalls = true;
    started.setAttribute("k", "v").setAttribute(AttributeKey.longKey("n"), 1L).addEvent("e")
        .addEvent("e", 1, TimeUnit.SECONDS).setStatus(StatusCode.OK, "fine").recordException(new Error())
        .updateName("other");
    assertFalse(started.isRecording());
    started.end();
    started.end(1, TimeUnit.SECONDS);
    assertTrue(started.getSpanContext().isValid());

    Span idsFail = tracer.spanBuilder("ids-fail").setParent(Context.root().with(parent)).startSpan();
    assertFalse(idsFail.isRecording());
    assertEquals(parent.getSpanContext(), idsFail.getSpanContext());
  }

  @Test
  void tracersAndBridgeAreTheApplicationsTypes() {
    assertNotSame(OpenTelemetry.noop(), openTelemetry);
    assertInstanceOf(BridgedOpenTelemetry.class, openTelemetry);
    assertInstanceOf(BridgedTracer.class, openTelemetry.getTracer("x"));
    assertInstanceOf(BridgedTracer.class, openTelemetry.getTracerProvider().get("x", "1"));
    assertEquals("x", ((BridgedTracer) openTelemetry.getTracer("x")).scopeName());
    assertNull(((BridgedTracer) openTelemetry.getTracer("x")).scopeVersion());
  }

  private enum MapGetter implements TextMapGetter<Map<String, String>> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  }
}
