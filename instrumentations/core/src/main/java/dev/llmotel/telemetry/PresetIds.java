package dev.llmotel.telemetry;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Span ids fixed on the application's thread when a call starts (they go out in its {@code traceparent}), used when
 * the span itself is built later on the agent's thread. The agent's tracer provider is built with this generator;
 * whenever no id is preset on the calling thread it generates random ids, as the SDK's default does.
 */
public final class PresetIds implements IdGenerator {
  public static final PresetIds GENERATOR = new PresetIds();
  private static final IdGenerator RANDOM = IdGenerator.random();
  private static final ThreadLocal<String[]> NEXT = new ThreadLocal<>();

  private PresetIds() {}

  /** Fresh random ids, for a span to be built later. */
  static String newSpanId() {
    return RANDOM.generateSpanId();
  }

  static String newTraceId() {
    return RANDOM.generateTraceId();
  }

  /** The next span started on this thread gets these ids (the trace id only if it is a root span). */
  static void preset(String traceId, String spanId) {
    NEXT.set(new String[] {traceId, spanId});
  }

  static void clear() {
    NEXT.remove();
  }

  @Override
  public String generateSpanId() {
    String[] next = NEXT.get();
    if (next != null && next[1] != null) {
      String id = next[1];
      next[1] = null;
      return id;
    }
    return RANDOM.generateSpanId();
  }

  @Override
  public String generateTraceId() {
    String[] next = NEXT.get();
    if (next != null && next[0] != null) {
      String id = next[0];
      next[0] = null;
      return id;
    }
    return RANDOM.generateTraceId();
  }
}
