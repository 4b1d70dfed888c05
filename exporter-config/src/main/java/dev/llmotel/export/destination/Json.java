package dev.llmotel.export.destination;

import java.util.List;
import java.util.Map;

/** JSON text of attribute values (strings, longs, doubles, booleans, lists of those) for the backend views. */
final class Json {
  private Json() {}

  static String object(Map<String, ?> members) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, ?> e : members.entrySet()) {
      if (b.length() > 1) b.append(',');
      string(b, e.getKey());
      b.append(':');
      value(b, e.getValue());
    }
    return b.append('}').toString();
  }

  private static void value(StringBuilder b, Object v) {
    if (v instanceof String) {
      string(b, (String) v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) b.append("null");
      else b.append(d);
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof List) {
      b.append('[');
      boolean first = true;
      for (Object item : (List<?>) v) {
        if (!first) b.append(',');
        first = false;
        value(b, item);
      }
      b.append(']');
    } else if (v == null) {
      b.append("null");
    } else {
      string(b, v.toString());
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
      }
    }
    b.append('"');
  }
}
