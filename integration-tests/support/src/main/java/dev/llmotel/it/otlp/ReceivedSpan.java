package dev.llmotel.it.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One span decoded from an OTLP export, with the resource and instrumentation scope it came under. Attribute values
 * are turned into plain Java values: String, Long, Double, Boolean, or a List of those for arrays.
 */
public record ReceivedSpan(Resource resource, InstrumentationScope scope, Span span) {

  public String name() { return span.getName(); }

  public Span.SpanKind kind() { return span.getKind(); }

  /** Trace id in lower-case hex (32 characters). */
  public String traceId() { return hex(span.getTraceId()); }

  public String spanId() { return hex(span.getSpanId()); }

  /** Parent span id in hex, or "" for a root span. */
  public String parentSpanId() { return hex(span.getParentSpanId()); }

  public Status.StatusCode statusCode() { return span.getStatus().getCode(); }

  public String scopeName() { return scope.getName(); }

  /** Duration in seconds. */
  public double durationSeconds() { return (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e9; }

  /** The attribute's value as a Java value, or null when the span has no such attribute. */
  public Object attr(String key) { return attributes().get(key); }

  public boolean has(String key) { return attributes().containsKey(key); }

  /** All span attributes, in export order. */
  public Map<String, Object> attributes() { return toMap(span.getAttributesList()); }

  public Object resourceAttr(String key) { return toMap(resource.getAttributesList()).get(key); }

  public String serviceName() { return (String) resourceAttr("service.name"); }

  /** The whole span, resource and scope in protobuf text format: every string they carry. */
  public String protoText() {
    return TextFormat.printer().printToString(resource) + TextFormat.printer().printToString(scope)
        + TextFormat.printer().printToString(span);
  }

  @Override
  public String toString() {
    return name() + " [" + kind() + ", trace " + traceId() + ", span " + spanId() + ", parent "
        + (parentSpanId().isEmpty() ? "-" : parentSpanId()) + ", status " + statusCode() + "] " + attributes();
  }

  static Map<String, Object> toMap(List<KeyValue> keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue kv : keyValues) map.put(kv.getKey(), value(kv.getValue()));
    return map;
  }

  static Object value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE: return v.getStringValue();
      case BOOL_VALUE: return v.getBoolValue();
      case INT_VALUE: return v.getIntValue();
      case DOUBLE_VALUE: return v.getDoubleValue();
      case ARRAY_VALUE: {
        List<Object> list = new ArrayList<>();
        for (AnyValue item : v.getArrayValue().getValuesList()) list.add(value(item));
        return list;
      }
      case KVLIST_VALUE: return toMap(v.getKvlistValue().getValuesList());
      case BYTES_VALUE: return v.getBytesValue().toByteArray();
      default: return null;
    }
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}
