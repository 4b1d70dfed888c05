package dev.llmotel.testkit.dialect;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The little JSON the kit needs, without a library on the dialect's test class path: a strict reader (objects as
 * insertion-ordered maps, arrays as lists, integers as {@link Long}, other numbers as {@link Double} or, beyond a
 * double's range, {@link BigDecimal}), a writer, and a canonical form that two values have alike exactly when they
 * mean the same JSON (object keys sorted, {@code 1}, {@code 1.0} and {@code 1e0} alike).
 */
final class Json {
  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** @throws IllegalArgumentException when {@code text} is not exactly one JSON value */
  static Object parse(String text) {
    Json reader = new Json(text);
    reader.skipSpace();
    Object value = reader.value();
    reader.skipSpace();
    if (reader.pos != text.length()) throw reader.error("text after the JSON value");
    return value;
  }

  private Object value() {
    if (pos >= text.length()) throw error("a value expected");
    char c = text.charAt(pos);
    switch (c) {
      case '{': return object();
      case '[': return array();
      case '"': return string();
      case 't': return literal("true", Boolean.TRUE);
      case 'f': return literal("false", Boolean.FALSE);
      case 'n': return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw error("unexpected '" + c + "'");
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (peek('}')) return map;
    while (true) {
      skipSpace();
      if (pos >= text.length() || text.charAt(pos) != '"') throw error("a key expected");
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      if (map.containsKey(key)) throw error("duplicate key \"" + key + "\"");
      map.put(key, value());
      skipSpace();
      if (peek('}')) return map;
      expect(',');
    }
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    pos++;
    skipSpace();
    if (peek(']')) return list;
    while (true) {
      skipSpace();
      list.add(value());
      skipSpace();
      if (peek(']')) return list;
      expect(',');
    }
  }

  private String string() {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) throw error("unterminated string");
      char c = text.charAt(pos++);
      if (c == '"') return sb.toString();
      if (c < 0x20) throw error("control character in a string");
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) throw error("unterminated escape");
      char e = text.charAt(pos++);
      switch (e) {
        case '"': case '\\': case '/': sb.append(e); break;
        case 'b': sb.append('\b'); break;
        case 'f': sb.append('\f'); break;
        case 'n': sb.append('\n'); break;
        case 'r': sb.append('\r'); break;
        case 't': sb.append('\t'); break;
        case 'u':
          if (pos + 4 > text.length()) throw error("short \\u escape");
          try {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
          break;
        default: throw error("bad escape \\" + e);
      }
    }
  }

  private Object number() {
    int start = pos;
    if (text.charAt(pos) == '-') pos++;
    int digits = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
    if (pos == digits || (text.charAt(digits) == '0' && pos - digits > 1)) throw error("bad number");
    boolean integral = true;
    if (pos < text.length() && text.charAt(pos) == '.') {
      integral = false;
      int fraction = ++pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
      if (pos == fraction) throw error("bad number");
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      integral = false;
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
      int exponent = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
      if (pos == exponent) throw error("bad number");
    }
    String literal = text.substring(start, pos);
    if (integral) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException tooBig) {
        return new BigDecimal(literal);
      }
    }
    double d = Double.parseDouble(literal);
    return Double.isInfinite(d) ? new BigDecimal(literal) : (Object) d;
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) throw error("unexpected text");
    pos += word.length();
    return value;
  }

  private boolean peek(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!peek(c)) throw error("'" + c + "' expected");
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(pos, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new IllegalArgumentException(what + " at line " + line + ", column " + column);
  }

  /** Compact JSON of a value built of maps, lists, strings, numbers, booleans and nulls, in the maps' own order. */
  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, false);
    return sb.toString();
  }

  /** Compact JSON with object keys sorted and numbers in one form: equal exactly when the values mean the same. */
  static String canonical(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, true);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object value, boolean canonical) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String) {
      quote(sb, (String) value);
    } else if (value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Number) {
      sb.append(canonical ? canonicalNumber((Number) value) : value.toString());
    } else if (value instanceof Map) {
      Map<?, ?> map = canonical ? new TreeMap<>((Map<?, ?>) value) : (Map<?, ?>) value;
      sb.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        quote(sb, String.valueOf(e.getKey()));
        sb.append(':');
        write(sb, e.getValue(), canonical);
        if (it.hasNext()) sb.append(',');
      }
      sb.append('}');
    } else if (value instanceof List) {
      sb.append('[');
      List<?> list = (List<?>) value;
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) sb.append(',');
        write(sb, list.get(i), canonical);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static String canonicalNumber(Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) return "\"" + d + "\"";
      if (d == 0) return "0";
      return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
    BigDecimal decimal = n instanceof BigDecimal ? (BigDecimal) n : new BigDecimal(n.toString());
    return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
  }

  static void quote(StringBuilder sb, String s) {
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
