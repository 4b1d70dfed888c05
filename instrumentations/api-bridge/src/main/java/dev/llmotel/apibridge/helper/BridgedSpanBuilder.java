package dev.llmotel.apibridge.helper;

import dev.llmotel.telemetry.AppSpan;
import dev.llmotel.telemetry.AppTracing;
import dev.llmotel.telemetry.AppTracingRegistry;
import dev.llmotel.telemetry.ParentSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds an application span through {@link AppTracing}. The parent is, as in the SDK, the span of the context given
 * to {@link #setParent}, none after {@link #setNoParent}, else the application's {@code Span.current()} when the span
 * starts. Links are ignored: {@link AppTracing} has no way to carry them. While the agent's telemetry is not ready
 * (or is disabled) the span is what the API's no-op tracer would return: the parent's context, not recording. Spans
 * started while the agent's SDK is still starting wait for it, at most the agent's start-up wait, like LLM calls do.
 * Attributes given to the builder are set right after the start (samplers of the agent's SDK do not see them).
 */
final class BridgedSpanBuilder implements SpanBuilder {
  private static final int PARENT_CURRENT = 0;
  private static final int PARENT_EXPLICIT = 1;
  private static final int PARENT_NONE = 2;

  private final String scopeName;
  private final String scopeVersion;
  private final String spanName;
  private final Map<String, Object> attributes = new LinkedHashMap<String, Object>();
  private int parentMode = PARENT_CURRENT;
  private SpanContext explicitParent;
  private int kind = AppTracing.KIND_INTERNAL;
  private long startEpochNanos;

  BridgedSpanBuilder(String scopeName, String scopeVersion, String spanName) {
    this.scopeName = scopeName;
    this.scopeVersion = scopeVersion;
    this.spanName = spanName;
  }

  @Override
  public SpanBuilder setParent(Context context) {
    if (context == null) return this;
    parentMode = PARENT_EXPLICIT;
    explicitParent = Span.fromContext(context).getSpanContext();
    return this;
  }

  @Override
  public SpanBuilder setNoParent() {
    parentMode = PARENT_NONE;
    explicitParent = null;
    return this;
  }

  /** Ignored: links cannot cross to the agent's SDK. */
  @Override
  public SpanBuilder addLink(SpanContext spanContext) {
    return this;
  }

  /** Ignored: links cannot cross to the agent's SDK. */
  @Override
  public SpanBuilder addLink(SpanContext spanContext, Attributes attributes) {
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, String value) {
    return put(key, value);
  }

  @Override
  public SpanBuilder setAttribute(String key, long value) {
    return put(key, value);
  }

  @Override
  public SpanBuilder setAttribute(String key, double value) {
    return put(key, value);
  }

  @Override
  public SpanBuilder setAttribute(String key, boolean value) {
    return put(key, value);
  }

  @Override
  public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
    return key == null ? this : put(key.getKey(), value);
  }

  private SpanBuilder put(String key, Object value) {
    if (key == null || key.isEmpty() || value == null) return this;
    Object plain = PlainAttributes.plain(value);
    if (plain != null) attributes.put(key, plain);
    return this;
  }

  @Override
  public SpanBuilder setSpanKind(SpanKind spanKind) {
    if (spanKind != null) kind = kindOf(spanKind);
    return this;
  }

  @Override
  public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
    if (unit != null && startTimestamp >= 0) startEpochNanos = unit.toNanos(startTimestamp);
    return this;
  }

  @Override
  public Span startSpan() {
    SpanContext parent = parent();
    AppSpan span = null;
    try {
      AppTracing tracing = AppTracingRegistry.get();
      if (tracing != null) {
        span = tracing.startSpan(scopeName, scopeVersion, spanName, kind, toParentSpan(parent), startEpochNanos);
      }
      if (span != null) {
        TraceState state = parent.isValid() ? parent.getTraceState() : TraceState.getDefault();
        SpanContext context = SpanContext.create(span.traceId(), span.spanId(),
            TraceFlags.fromByte(span.traceFlags()), state);
        for (Map.Entry<String, Object> e : attributes.entrySet()) span.setAttribute(e.getKey(), e.getValue());
        return new BridgedSpan(span, context);
      }
    } catch (Throwable ignored) {
      // fall through to the no-op span; the application never sees the agent fail
    }
    return Span.wrap(parent);
  }

  /** The parent's context, or the invalid one for a root span. */
  private SpanContext parent() {
    try {
      SpanContext parent = parentMode == PARENT_NONE ? null
          : parentMode == PARENT_EXPLICIT ? explicitParent
          : Span.current().getSpanContext();
      return parent == null ? SpanContext.getInvalid() : parent;
    } catch (Throwable t) {
      return SpanContext.getInvalid();
    }
  }

  static ParentSpan toParentSpan(SpanContext parent) {
    if (parent == null || !parent.isValid()) return null;
    return new ParentSpan(parent.getTraceId(), parent.getSpanId(), parent.getTraceFlags().asByte(),
        parent.isRemote(), null);
  }

  static int kindOf(SpanKind kind) {
    if (kind == SpanKind.SERVER) return AppTracing.KIND_SERVER;
    if (kind == SpanKind.CLIENT) return AppTracing.KIND_CLIENT;
    if (kind == SpanKind.PRODUCER) return AppTracing.KIND_PRODUCER;
    if (kind == SpanKind.CONSUMER) return AppTracing.KIND_CONSUMER;
    return AppTracing.KIND_INTERNAL;
  }
}
