package dev.llmotel.apibridge.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which values of {@code GlobalOpenTelemetry.get()} are replaced by the bridge, and which are left alone. */
class GlobalOpenTelemetryReplacementTest {
  private final GlobalOpenTelemetryReplacement replacement = new GlobalOpenTelemetryReplacement();

  @Test
  void theNoopIsReplacedByOneBridge() {
    Object first = replacement.replace(OpenTelemetry.noop(), GlobalOpenTelemetry.class);
    assertInstanceOf(BridgedOpenTelemetry.class, first);
    assertSame(first, replacement.replace(OpenTelemetry.noop(), GlobalOpenTelemetry.class));
    OpenTelemetry bridge = (OpenTelemetry) first;
    assertNotSame(TracerProvider.noop(), bridge.getTracerProvider());
    assertTrue(bridge.getPropagators().getTextMapPropagator().fields().containsAll(List.of("traceparent",
        "tracestate", "baggage")), "W3C trace context and baggage when the application set no propagators");
  }

  @Test
  void theValueOfTheRealGlobalWithoutAnSdkIsReplaced() {
    // API 1.0.0: with nothing set (and no autoconfigure module), get() sets and returns the no-op.
    OpenTelemetry global = GlobalOpenTelemetry.get();
    assertSame(TracerProvider.noop(), global.getTracerProvider());
    assertInstanceOf(BridgedOpenTelemetry.class, replacement.replace(global, GlobalOpenTelemetry.class));
  }

  @Test
  void theApplicationsOwnImplementationIsLeftAlone() {
    OpenTelemetry own = new OwnOpenTelemetry();
    assertSame(own, replacement.replace(own, GlobalOpenTelemetry.class));
  }

  @Test
  void propagatorsTheApplicationConfiguredAreKept() {
    ContextPropagators mine = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
    OpenTelemetry propagating = OpenTelemetry.propagating(mine);
    OpenTelemetry bridge = (OpenTelemetry) replacement.replace(propagating, GlobalOpenTelemetry.class);
    assertInstanceOf(BridgedOpenTelemetry.class, bridge);
    assertSame(mine, bridge.getPropagators());
    Object afterNoop = replacement.replace(OpenTelemetry.noop(), GlobalOpenTelemetry.class);
    assertNotSame(mine, ((OpenTelemetry) afterNoop).getPropagators());
  }

  @Test
  void otherValuesAreUntouched() {
    assertNull(replacement.replace(null, GlobalOpenTelemetry.class));
    Object notOtel = "not an OpenTelemetry";
    assertSame(notOtel, replacement.replace(notOtel, GlobalOpenTelemetry.class));
    OpenTelemetry broken = new OwnOpenTelemetry() {
      @Override
      public TracerProvider getTracerProvider() {
        throw new IllegalStateException("broken");
      }
    };
    assertSame(broken, replacement.replace(broken, GlobalOpenTelemetry.class));
  }

  @Test
  void noopDetection() {
    assertTrue(GlobalOpenTelemetryReplacement.isNoop(OpenTelemetry.noop()));
    assertTrue(GlobalOpenTelemetryReplacement.isNoop(OpenTelemetry.propagating(ContextPropagators.noop())));
    assertEquals(false, GlobalOpenTelemetryReplacement.isNoop(new OwnOpenTelemetry()));
  }

  /** An application's own, SDK-less implementation of the API. */
  static class OwnOpenTelemetry implements OpenTelemetry {
    private final TracerProvider provider = new TracerProvider() {
      @Override
      public Tracer get(String name) {
        return get(name, null);
      }

      @Override
      public Tracer get(String name, String version) {
        return spanName -> new OwnSpanBuilder();
      }
    };

    @Override
    public TracerProvider getTracerProvider() {
      return provider;
    }

    @Override
    public ContextPropagators getPropagators() {
      return ContextPropagators.noop();
    }
  }

  /** Hands out the invalid span; only its identity matters here. */
  static final class OwnSpanBuilder implements SpanBuilder {
    @Override public SpanBuilder setParent(io.opentelemetry.context.Context context) { return this; }
    @Override public SpanBuilder setNoParent() { return this; }
    @Override public SpanBuilder addLink(io.opentelemetry.api.trace.SpanContext spanContext) { return this; }
    @Override public SpanBuilder addLink(io.opentelemetry.api.trace.SpanContext spanContext,
        io.opentelemetry.api.common.Attributes attributes) { return this; }
    @Override public SpanBuilder setAttribute(String key, String value) { return this; }
    @Override public SpanBuilder setAttribute(String key, long value) { return this; }
    @Override public SpanBuilder setAttribute(String key, double value) { return this; }
    @Override public SpanBuilder setAttribute(String key, boolean value) { return this; }
    @Override public <T> SpanBuilder setAttribute(io.opentelemetry.api.common.AttributeKey<T> key, T value) {
      return this;
    }
    @Override public SpanBuilder setSpanKind(io.opentelemetry.api.trace.SpanKind spanKind) { return this; }
    @Override public SpanBuilder setStartTimestamp(long startTimestamp, java.util.concurrent.TimeUnit unit) {
      return this;
    }
    @Override public Span startSpan() { return Span.getInvalid(); }
  }
}
