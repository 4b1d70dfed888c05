package dev.llmotel.apibridge.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.telemetry.AppTracingRegistry;
import dev.llmotel.telemetry.ParentSpan;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CurrentSpanProbeTest {
  private final CurrentSpanProbe probe = new CurrentSpanProbe();

  @AfterEach
  void uninstall() {
    AppTracingRegistry.install(null, 0);
  }

  @Test
  void noCurrentSpanNoParent() {
    assertNull(probe.currentSpan());
    try (Scope ignored = Span.getInvalid().makeCurrent()) {
      assertNull(probe.currentSpan());
    }
  }

  @Test
  void seesTheBridgedSpanMadeCurrentAndForgetsItAfterTheScope() {
    RecordingAppTracing tracing = new RecordingAppTracing();
    AppTracingRegistry.install(tracing);
    OpenTelemetry otel = (OpenTelemetry) new GlobalOpenTelemetryReplacement()
        .replace(OpenTelemetry.noop(), GlobalOpenTelemetry.class);
    Span span = otel.getTracer("app").spanBuilder("app.request").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      ParentSpan parent = probe.currentSpan();
      RecordingAppTracing.Recorded r = tracing.named("app.request");
      assertEquals(r.traceId, parent.traceId());
      assertEquals(r.spanId, parent.spanId());
      assertEquals(1, parent.traceFlags());
      assertFalse(parent.remote());
    }
    assertNull(probe.currentSpan());
  }

  @Test
  void seesAnySpanOfTheApplicationsApiIncludingRemoteOnes() {
    SpanContext remote = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        TraceFlags.getDefault(), TraceState.getDefault());
    try (Scope ignored = Span.wrap(remote).makeCurrent()) {
      ParentSpan parent = probe.currentSpan();
      assertEquals("0af7651916cd43dd8448eb211c80319c", parent.traceId());
      assertEquals("b7ad6b7169203331", parent.spanId());
      assertEquals(0, parent.traceFlags());
      assertTrue(parent.remote());
    }
  }
}
