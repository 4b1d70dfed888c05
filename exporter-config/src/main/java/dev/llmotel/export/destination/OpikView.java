package dev.llmotel.export.destination;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Map;

/**
 * Opik files any attribute it has no rule for as the span's input. Attributes outside the namespaces it maps
 * ({@code gen_ai.*}, {@code llm.*}, {@code error.*}, {@code server.*}, {@code input.*}, {@code output.*},
 * {@code opik.*}, thread ids) are moved under {@code opik.metadata.*}, where Opik shows them as metadata.
 */
public final class OpikView implements SpanView {
  static final String METADATA = "opik.metadata.";

  static boolean understood(String key) {
    return key.startsWith("gen_ai.") || key.startsWith("llm.") || key.startsWith("error.")
        || key.startsWith("server.") || key.startsWith("input.") || key.startsWith("output.")
        || key.startsWith("opik.") || key.equals("thread_id") || key.equals("session.id");
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public SpanData apply(SpanData span) {
    Attributes in = span.getAttributes();
    boolean any = false;
    for (AttributeKey<?> key : in.asMap().keySet()) {
      if (!understood(key.getKey())) {
        any = true;
        break;
      }
    }
    if (!any) return span;
    AttributesBuilder out = Attributes.builder();
    for (Map.Entry<AttributeKey<?>, Object> e : in.asMap().entrySet()) {
      AttributeKey<?> key = e.getKey();
      AttributeKey target = understood(key.getKey()) ? key : rename(key);
      out.put((AttributeKey<Object>) target, e.getValue());
    }
    return new ViewedSpanData(span, out.build());
  }

  private static AttributeKey<?> rename(AttributeKey<?> key) {
    String name = METADATA + key.getKey();
    switch (key.getType()) {
      case BOOLEAN: return AttributeKey.booleanKey(name);
      case LONG: return AttributeKey.longKey(name);
      case DOUBLE: return AttributeKey.doubleKey(name);
      case STRING_ARRAY: return AttributeKey.stringArrayKey(name);
      case BOOLEAN_ARRAY: return AttributeKey.booleanArrayKey(name);
      case LONG_ARRAY: return AttributeKey.longArrayKey(name);
      case DOUBLE_ARRAY: return AttributeKey.doubleArrayKey(name);
      default: return AttributeKey.stringKey(name);
    }
  }
}
