package dev.llmotel.hook.otelapi.helper;

import dev.llmotel.telemetry.ParentProbe;
import dev.llmotel.telemetry.ParentSpan;
import io.opentelemetry.api.trace.Span;

/**
 * Tells the application's current span ({@code Span.current()} of its own API), whoever made it: the bridge, the
 * application's own SDK, or the official OpenTelemetry agent bridging the API. LLM spans nest under it.
 */
public final class CurrentSpanProbe implements ParentProbe {
  /** Resolved on construction: a loader that cannot see the API gets no probe, rather than one failing each call. */
  private final Class<?> api = Span.class;

  @Override
  public ParentSpan currentSpan() {
    try {
      return BridgedSpanBuilder.toParentSpan(Span.current().getSpanContext());
    } catch (Throwable t) {
      return null;
    }
  }
}
