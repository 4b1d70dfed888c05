package dev.llmotel.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/** A {@link ParentSpan} (plain values from outside the agent) as the agent's own {@link SpanContext}. */
final class ParentSpanContexts {
  private ParentSpanContexts() {}

  static SpanContext of(ParentSpan parent) {
    TraceFlags flags = TraceFlags.fromByte(parent.traceFlags());
    return parent.remote()
        ? SpanContext.createFromRemoteParent(parent.traceId(), parent.spanId(), flags, TraceState.getDefault())
        : SpanContext.create(parent.traceId(), parent.spanId(), flags, TraceState.getDefault());
  }
}
