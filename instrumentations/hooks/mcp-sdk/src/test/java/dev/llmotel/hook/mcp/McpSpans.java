package dev.llmotel.hook.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Reading the spans the MCP telemetry recorded into memory. */
final class McpSpans {
  private McpSpans() {}

  /** The finished spans once there are {@code count} of them, or after 8 s (the assertions say what is missing). */
  static List<SpanData> waitForSpans(InMemorySpanExporter spans, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 8_000_000_000L;
    while (spans.getFinishedSpanItems().size() < count && System.nanoTime() < deadline) Thread.sleep(10);
    return new ArrayList<>(spans.getFinishedSpanItems());
  }

  /** The one span of this kind and name; fails when there is none or more than one. */
  static SpanData one(List<SpanData> spans, SpanKind kind, String name) {
    List<SpanData> found = spans.stream().filter(s -> s.getKind() == kind && s.getName().equals(name))
        .collect(Collectors.toList());
    assertEquals(1, found.size(), kind + " " + name + " in " + spans);
    return found.get(0);
  }

  static String attr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }
}
