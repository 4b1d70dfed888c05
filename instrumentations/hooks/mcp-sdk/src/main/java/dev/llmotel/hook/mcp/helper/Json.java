package dev.llmotel.hook.mcp.helper;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** Plain values (maps, lists, strings, numbers, booleans) as JSON, for tool arguments and results. */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    value(sb, value, 0);
    return sb.toString();
  }

  private static void value(StringBuilder sb, Object v, int depth) {
    if (depth > 32) {
      sb.append("null");
    } else if (v == null) {
      sb.append("null");
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Map) {
      sb.append('{');
      for (Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) v).entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<?, ?> e = it.next();
        string(sb, String.valueOf(e.getKey()));
        sb.append(':');
        value(sb, e.getValue(), depth + 1);
        if (it.hasNext()) sb.append(',');
      }
      sb.append('}');
    } else if (v instanceof Collection) {
      sb.append('[');
      for (Iterator<?> it = ((Collection<?>) v).iterator(); it.hasNext(); ) {
        value(sb, it.next(), depth + 1);
        if (it.hasNext()) sb.append(',');
      }
      sb.append(']');
    } else {
      string(sb, String.valueOf(v));
    }
  }

  static void string(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("null");
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
      }
    }
    sb.append('"');
  }
}
