package dev.llmotel.export.destination;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Real SDK spans (as the agent's pipeline hands them to a view), and JSON attribute values read back. */
final class TestSpans {
  private TestSpans() {}

  /** One ended CLIENT span with these attributes, resource and status (null: unset). */
  static SpanData span(Attributes attributes, Attributes resource, String errorMessage) {
    List<SpanData> ended = new ArrayList<>();
    SpanProcessor collect = new SpanProcessor() {
      @Override public void onStart(Context parentContext, ReadWriteSpan span) {}
      @Override public boolean isStartRequired() { return false; }
      @Override public void onEnd(ReadableSpan span) { ended.add(span.toSpanData()); }
      @Override public boolean isEndRequired() { return true; }
      @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
    };
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(collect)
        .setResource(Resource.getDefault().merge(Resource.create(resource))).build();
    Span span = provider.get("llm-otel-agent").spanBuilder("chat gpt-4o-mini").setSpanKind(SpanKind.CLIENT)
        .setAllAttributes(attributes).startSpan();
    if (errorMessage != null) span.setStatus(StatusCode.ERROR, errorMessage);
    span.end();
    provider.close();
    return ended.get(0);
  }

  static SpanData span(Attributes attributes) {
    return span(attributes, Attributes.empty(), null);
  }

  /** A JSON object attribute parsed (YAML is a superset of JSON), or null when absent. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> json(SpanData span, String key) {
    String value = span.getAttributes().get(AttributeKey.stringKey(key));
    return value == null ? null : (Map<String, Object>) new Yaml().load(value);
  }

  static double num(Map<String, Object> json, String key) {
    Object v = json.get(key);
    if (v == null) throw new AssertionError("no " + key + " in " + json);
    return ((Number) v).doubleValue();
  }
}
