package dev.llmotel.hook.mcp.helper;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Plain values (maps, lists, strings, numbers, booleans) as JSON, for tool arguments and results. Written with a
 * limit, it stops soon after {@code limit + }{@value #SLACK} characters (the text is then cut, not valid JSON): the
 * telemetry keeps at most {@code limit} of it, after redacting, so the slack lets it see a secret that straddles the
 * limit whole.
 */
final class Json {
  /** How far past the limit a bounded write goes. */
  static final int SLACK = 1024;

  private Json() {}

  static String write(Object value) {
    return write(value, 0);
  }

  /** @param limit the telemetry's content limit, 0 for none (the value is written whole) */
  static String write(Object value, int limit) {
    Out out = new Out(limit);
    out.value(value, 0);
    return out.toString();
  }

  /** A JSON text being written, up to a bound. */
  static final class Out {
    final StringBuilder sb = new StringBuilder();
    private final int max;

    /** @param limit the telemetry's content limit, 0 for none */
    Out(int limit) {
      max = limit <= 0 || limit > Integer.MAX_VALUE - SLACK ? Integer.MAX_VALUE : limit + SLACK;
    }

    /** The bound is reached: nothing more is written. */
    boolean full() {
      return sb.length() >= max;
    }

    Out append(String s) {
      if (!full()) sb.append(s);
      return this;
    }

    Out append(char c) {
      if (!full()) sb.append(c);
      return this;
    }

    void value(Object v, int depth) {
      if (full()) return;
      if (depth > 32 || v == null) {
        sb.append("null");
      } else if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else if (v instanceof Map) {
        sb.append('{');
        for (Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) v).entrySet().iterator(); it.hasNext(); ) {
          if (full()) return;
          Map.Entry<?, ?> e = it.next();
          string(String.valueOf(e.getKey()));
          append(':');
          value(e.getValue(), depth + 1);
          if (it.hasNext()) append(',');
        }
        append('}');
      } else if (v instanceof Collection) {
        sb.append('[');
        for (Iterator<?> it = ((Collection<?>) v).iterator(); it.hasNext(); ) {
          if (full()) return;
          value(it.next(), depth + 1);
          if (it.hasNext()) append(',');
        }
        append(']');
      } else {
        string(String.valueOf(v));
      }
    }

    void string(String s) {
      if (full()) return;
      if (s == null) {
        sb.append("null");
        return;
      }
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        if (full()) return;
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

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
