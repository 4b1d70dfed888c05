package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

/** The {@code traceparent} a call sends, built without a StringBuilder: the W3C format, sampled or not. */
class TraceparentTest {
  @Test
  void w3cFormat() {
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    String span = "00f067aa0ba902b7";
    assertEquals("00-" + trace + "-" + span + "-01",
        new InferenceSpans.Begun(Context.root(), trace, span, true, 0, null).traceparent());
    assertEquals("00-" + trace + "-" + span + "-00",
        new InferenceSpans.Begun(Context.root(), trace, span, false, 0, null).traceparent());
    for (int i = 0; i < 100; i++) {
      String t = PresetIds.newTraceId();
      String s = PresetIds.newSpanId();
      assertEquals("00-" + t + "-" + s + "-01", new InferenceSpans.Begun(Context.root(), t, s, true, 0, null)
          .traceparent());
    }
  }
}
