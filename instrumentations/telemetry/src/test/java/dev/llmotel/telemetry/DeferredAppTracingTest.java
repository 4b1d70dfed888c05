package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Application spans started while the agent's SDK is still starting: no wait, recorded once the SDK is up. */
class DeferredAppTracingTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final Pending<AppTracing> pending = new Pending<>();

  @AfterEach
  void uninstall() {
    AppTracingRegistry.install(null, 0);
  }

  @Test
  void theAgentsOwnDrainingDoesNotAskForTheSdk() {
    AppTracingRegistry.install(pending, 60_000);
    AppTracingRegistry.settled(); // the init thread's drain: not the application asking for spans
    assertFalse(pending.wanted(), "settled() marked application tracing as wanted");
    assertTrue(pending.failUnlessWanted(), "the exit hook would have waited for an SDK nothing asked for");
    AppTracingRegistry.settled();
    assertNull(AppTracingRegistry.get());
  }

  @Test
  void aSpanStartedBeforeTheSdkIsUpNeverWaitsAndIsRecordedWithItsIdsAndTimes() {
    AppTracingRegistry.install(pending, 60_000);
    long before = System.nanoTime();
    AppTracing early = AppTracingRegistry.get();
    AppSpan span = early.startSpan("app", "1.0", "early work", AppTracing.KIND_INTERNAL, null, 1_000_000_000L);
    span.setAttribute("app.step", "load");
    span.updateName("early work, renamed");
    AppSpan child = early.startSpan("app", null, "child", AppTracing.KIND_CLIENT,
        new ParentSpan(span.traceId(), span.spanId(), span.traceFlags(), false, null), 1_500_000_000L);
    child.end(1_700_000_000L);
    span.end(2_000_000_000L);
    assertTrue(System.nanoTime() - before < 1_000_000_000L, "the application waited for the SDK");
    assertTrue(span.isRecording() == false && (span.traceFlags() & 1) == 1);
    assertTrue(exporter.getFinishedSpanItems().isEmpty());

    pending.complete(new SdkAppTracing(provider));
    AppTracingRegistry.settled();

    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(2, spans.size());
    SpanData parent = spans.stream().filter(s -> s.getName().equals("early work, renamed")).findFirst().orElseThrow();
    SpanData kid = spans.stream().filter(s -> s.getName().equals("child")).findFirst().orElseThrow();
    assertEquals(span.traceId(), parent.getTraceId());
    assertEquals(span.spanId(), parent.getSpanId());
    assertEquals(parent.getSpanId(), kid.getParentSpanId());
    assertEquals(parent.getTraceId(), kid.getTraceId());
    assertEquals(1_000_000_000L, parent.getStartEpochNanos());
    assertEquals(2_000_000_000L, parent.getEndEpochNanos());
    assertEquals("load", parent.getAttributes().get(AttributeKey.stringKey("app.step")));
    assertEquals("1.0", parent.getInstrumentationScopeInfo().getVersion());
  }

  @Test
  void aSpanThatEndsOnceTheSdkIsUpIsRecordedAtItsEnd() {
    AppTracingRegistry.install(pending, 60_000);
    AppSpan span = AppTracingRegistry.get().startSpan("app", null, "straddles", AppTracing.KIND_SERVER, null, 0);
    pending.complete(new SdkAppTracing(provider));
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
    span.end(0);
    assertEquals(1, exporter.getFinishedSpanItems().size());
    assertEquals(span.spanId(), exporter.getFinishedSpanItems().get(0).getSpanId());
    assertTrue(AppTracingRegistry.get() instanceof SdkAppTracing);
  }

  @Test
  void withoutAnSdkTheSpansAreDroppedAndTheRegistryAnswersNull() {
    AppTracingRegistry.install(pending, 60_000);
    AppSpan span = AppTracingRegistry.get().startSpan("app", null, "lost", AppTracing.KIND_INTERNAL, null, 0);
    span.end(0);
    pending.fail();
    AppTracingRegistry.settled();
    assertNull(AppTracingRegistry.get());
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
  }

  @Test
  void withAnotherSamplerASpanWaitsForTheSdkSoItsSamplerDecides() {
    AppTracingRegistry.install(pending, 200, false);
    long before = System.nanoTime();
    assertNull(AppTracingRegistry.get(), "not deferred: waits at most the start-up wait, then nothing");
    assertTrue(System.nanoTime() - before >= 150_000_000L, "it waited for the SDK");
    pending.complete(new SdkAppTracing(provider));
    assertTrue(AppTracingRegistry.get() instanceof SdkAppTracing);
  }
}
