package dev.llmotel.telemetry;

/**
 * Tells the application's current span on the calling thread, from a tracing API the agent does not own (the
 * application's copy of the OpenTelemetry API). Registered with {@link ParentProbes}.
 */
public interface ParentProbe {
  /** The current span on this thread, or null when there is none (or it is invalid). Must not throw. */
  ParentSpan currentSpan();
}
