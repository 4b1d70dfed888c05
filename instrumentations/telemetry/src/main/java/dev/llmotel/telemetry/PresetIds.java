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
    String preset = take(1);
    return preset != null ? preset : RANDOM.generateSpanId();
  }

  @Override
  public String generateTraceId() {
    String preset = take(0);
    return preset != null ? preset : RANDOM.generateTraceId();
  }

  /** The preset id at {@code index} (0: trace, 1: span), once; null when none is preset. */
  private static String take(int index) {
    String[] next = NEXT.get();
    if (next == null) return null;
    String id = next[index];
    next[index] = null;
    return id;
  }
}
