package dev.llmotel.apibridge.scenario;

import dev.llmotel.telemetry.ParentSpan;
import io.opentelemetry.api.trace.SpanContext;

/** Span ids as one string the test (another class loader) can compare. */
final class Ids {
  private Ids() {}

  static String of(SpanContext sc) {
    return sc.isValid() ? sc.getTraceId() + "/" + sc.getSpanId() + "/" + sc.getTraceFlags().asHex() : null;
  }

  static String of(ParentSpan span) {
    return span == null ? null : span.traceId() + "/" + span.spanId() + "/0" + span.traceFlags()
        + (span.remote() ? "/remote" : "");
  }
}
