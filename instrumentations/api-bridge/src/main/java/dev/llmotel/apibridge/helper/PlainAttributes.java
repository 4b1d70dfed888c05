package dev.llmotel.apibridge.helper;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the application's attribute values into the plain values {@link dev.llmotel.telemetry.AppSpan} takes:
 * String, Boolean, Long, Double, or a List of one of those. Any other value (an attribute type newer than this
 * bridge, say) becomes its string form.
 */
final class PlainAttributes {
  private PlainAttributes() {}

  /** The plain form of one value; null stays null. */
  static Object plain(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
        || value instanceof Double) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float) return ((Number) value).doubleValue();
    if (value instanceof List) {
      List<?> list = (List<?>) value;
      List<Object> copy = new ArrayList<Object>(list.size());
      for (Object element : list) {
        Object p = plain(element);
        if (p != null && !(p instanceof List)) copy.add(p);
      }
      return copy;
    }
    return String.valueOf(value);
  }

  /** The application's attributes as an ordered map of plain values (empty for null). */
  static Map<String, Object> plain(Attributes attributes) {
    if (attributes == null || attributes.isEmpty()) return Collections.emptyMap();
    Map<String, Object> map = new LinkedHashMap<String, Object>();
    for (Map.Entry<AttributeKey<?>, Object> e : attributes.asMap().entrySet()) {
      String key = e.getKey() == null ? null : e.getKey().getKey();
      Object value = plain(e.getValue());
      if (key != null && !key.isEmpty() && value != null) map.put(key, value);
    }
    return map;
  }
}
