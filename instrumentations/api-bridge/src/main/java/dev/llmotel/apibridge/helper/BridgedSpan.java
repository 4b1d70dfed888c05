package dev.llmotel.apibridge.helper;

import dev.llmotel.telemetry.AppSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.TimeUnit;

/**
 * The application's span, recorded by the agent's SDK through an {@link AppSpan}. Its {@link SpanContext} is a real
 * one of the application's API, built from the recorded span's ids, so {@code makeCurrent()}, {@code Span.current()}
 * and the application's propagators all work with it. Never throws into the application.
 */
final class BridgedSpan implements Span {
  private final AppSpan span;
  private final SpanContext spanContext;

  BridgedSpan(AppSpan span, SpanContext spanContext) {
    this.span = span;
    this.spanContext = spanContext;
  }

  @Override
  public Span setAttribute(String key, String value) {
    return set(key, value);
  }

  @Override
  public Span setAttribute(String key, long value) {
    return set(key, value);
  }

  @Override
  public Span setAttribute(String key, double value) {
    return set(key, value);
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    return set(key, value);
  }

  @Override
  public <T> Span setAttribute(AttributeKey<T> key, T value) {
    return key == null ? this : set(key.getKey(), value);
  }

  private Span set(String key, Object value) {
    if (key == null || key.isEmpty() || value == null) return this;
    try {
      span.setAttribute(key, PlainAttributes.plain(value));
    } catch (Throwable ignored) {
      // the application's call succeeds whatever the agent does
    }
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    return event(name, attributes, 0);
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
    return event(name, attributes, unit == null ? 0 : unit.toNanos(timestamp));
  }

  private Span event(String name, Attributes attributes, long epochNanos) {
    if (name == null) return this;
    try {
      span.addEvent(name, PlainAttributes.plain(attributes), Math.max(0, epochNanos));
    } catch (Throwable ignored) {
      // see set
    }
    return this;
  }

  @Override
  public Span setStatus(StatusCode statusCode, String description) {
    if (statusCode == null) return this;
    int code = statusCode == StatusCode.OK ? AppSpan.STATUS_OK
        : statusCode == StatusCode.ERROR ? AppSpan.STATUS_ERROR : AppSpan.STATUS_UNSET;
    try {
      span.setStatus(code, description);
    } catch (Throwable ignored) {
      // see set
    }
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes additionalAttributes) {
    if (exception == null) return this;
    try {
      span.recordException(exception, PlainAttributes.plain(additionalAttributes));
    } catch (Throwable ignored) {
      // see set
    }
    return this;
  }

  @Override
  public Span updateName(String name) {
    if (name == null) return this;
    try {
      span.updateName(name);
    } catch (Throwable ignored) {
      // see set
    }
    return this;
  }

  @Override
  public void end() {
    endAt(0);
  }

  @Override
  public void end(long timestamp, TimeUnit unit) {
    endAt(unit == null ? 0 : Math.max(0, unit.toNanos(timestamp)));
  }

  private void endAt(long epochNanos) {
    try {
      span.end(epochNanos);
    } catch (Throwable ignored) {
      // see set
    }
  }

  @Override
  public SpanContext getSpanContext() {
    return spanContext;
  }

  @Override
  public boolean isRecording() {
    try {
      return span.isRecording();
    } catch (Throwable t) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "BridgedSpan{traceId=" + spanContext.getTraceId() + ", spanId=" + spanContext.getSpanId() + '}';
  }
}
