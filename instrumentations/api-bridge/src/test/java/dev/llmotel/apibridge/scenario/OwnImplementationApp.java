package dev.llmotel.apibridge.scenario;

import dev.llmotel.telemetry.ParentProbes;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** An application that sets its own (SDK-less) implementation as the global before using it. */
public final class OwnImplementationApp implements Callable<Map<String, Object>> {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN_ID = "00f067aa0ba902b7";

  @Override
  public Map<String, Object> call() {
    Map<String, Object> out = new LinkedHashMap<>();
    OwnOpenTelemetry own = new OwnOpenTelemetry();
    GlobalOpenTelemetry.set(own);
    out.put("leftAlone", GlobalOpenTelemetry.get().getTracerProvider() == own.getTracerProvider());
    Span span = GlobalOpenTelemetry.getTracer("app").spanBuilder("own.request").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      out.put("own", Ids.of(span.getSpanContext()));
      out.put("llmParent", Ids.of(ParentProbes.current()));
    }
    return out;
  }

  static final class OwnOpenTelemetry implements OpenTelemetry {
    private final TracerProvider provider = new TracerProvider() {
      @Override
      public Tracer get(String name) {
        return spanName -> new OwnSpanBuilder();
      }

      @Override
      public Tracer get(String name, String version) {
        return get(name);
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

  /** Every span has the same fixed, valid context. */
  static final class OwnSpanBuilder implements SpanBuilder {
    @Override public SpanBuilder setParent(Context context) { return this; }
    @Override public SpanBuilder setNoParent() { return this; }
    @Override public SpanBuilder addLink(SpanContext spanContext) { return this; }
    @Override public SpanBuilder addLink(SpanContext spanContext, Attributes attributes) { return this; }
    @Override public SpanBuilder setAttribute(String key, String value) { return this; }
    @Override public SpanBuilder setAttribute(String key, long value) { return this; }
    @Override public SpanBuilder setAttribute(String key, double value) { return this; }
    @Override public SpanBuilder setAttribute(String key, boolean value) { return this; }
    @Override public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) { return this; }
    @Override public SpanBuilder setSpanKind(SpanKind spanKind) { return this; }
    @Override public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) { return this; }

    @Override
    public Span startSpan() {
      return Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    }
  }
}
