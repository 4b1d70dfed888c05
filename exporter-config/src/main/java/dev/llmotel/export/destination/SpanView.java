package dev.llmotel.export.destination;

import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * How one backend should see a span: the instrumentation stays backend-neutral, and each destination reshapes the
 * same spans into what its backend understands (Langfuse's completion start time, Opik's metadata, ...).
 */
public interface SpanView {
  SpanData apply(SpanData span);

  SpanView IDENTITY = span -> span;
}
