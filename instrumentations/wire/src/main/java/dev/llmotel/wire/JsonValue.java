package dev.llmotel.wire;

/**
 * An immutable, size-bounded JSON tree node. Navigation never fails: {@link #path} and {@link #get} return
 * {@link #MISSING} for anything absent, and the {@code as...} conversions take a default. A node may be
 * {@linkplain #isTruncated() truncated}: a cut string, an array or object with elements left out, or a container the
 * input ended inside. {@link #size()} always reports the full size seen in the input.
 */
public final class JsonValue {
  /** The JSON type of a node; {@code MISSING} stands for "not there". */
  public enum Kind { OBJECT, ARRAY, STRING, NUMBER, BOOLEAN, NULL, MISSING }

  private static final String[] NO_KEYS = new String[0];
  private static final JsonValue[] NO_VALUES = new JsonValue[0];

  public static final JsonValue MISSING = new JsonValue(Kind.MISSING, null, 0, false, null, null, 0, false);
  public static final JsonValue NULL = new JsonValue(Kind.NULL, null, 0, false, null, null, 0, false);
  public static final JsonValue TRUE = new JsonValue(Kind.BOOLEAN, null, 1, true, null, null, 0, false);
  public static final JsonValue FALSE = new JsonValue(Kind.BOOLEAN, null, 0, true, null, null, 0, false);

  /** The integers 0 to 255 (indexes, token counts, flags), shared: nodes are immutable. */
  private static final JsonValue[] SMALL_INTEGERS = new JsonValue[256];

  static {
    for (int i = 0; i < SMALL_INTEGERS.length; i++) {
      SMALL_INTEGERS[i] = new JsonValue(Kind.NUMBER, null, i, true, null, null, 0, false);
    }
  }

  private final Kind kind;
  private final String text;
  /** An integral number's value, a boolean's (1 or 0), or a decimal number's bits ({@code integral} false). */
  private final long longValue;
  private final boolean integral;
  private final String[] keys;
  private final JsonValue[] values;
  private final long size;
  private final boolean truncated;

  private JsonValue(Kind kind, String text, long longValue, boolean integral, String[] keys, JsonValue[] values,
      long size, boolean truncated) {
    this.kind = kind;
    this.text = text;
    this.longValue = longValue;
    this.integral = integral;
    this.keys = keys == null ? NO_KEYS : keys;
    this.values = values == null ? NO_VALUES : values;
    this.size = size;
    this.truncated = truncated;
  }

  static JsonValue string(String kept, long fullLength) {
    return new JsonValue(Kind.STRING, kept, 0, false, null, null, fullLength, fullLength > kept.length());
  }

  static JsonValue integer(long value) {
    if (value >= 0 && value < SMALL_INTEGERS.length) return SMALL_INTEGERS[(int) value];
    return new JsonValue(Kind.NUMBER, null, value, true, null, null, 0, false);
  }

  static JsonValue decimal(double value) {
    return new JsonValue(Kind.NUMBER, null, Double.doubleToRawLongBits(value), false, null, null, 0, false);
  }

  static JsonValue object(String[] keys, JsonValue[] values, long fieldCount, boolean truncated) {
    return new JsonValue(Kind.OBJECT, null, 0, false, keys, values, fieldCount,
        truncated || fieldCount > (values == null ? 0 : values.length));
  }

  static JsonValue array(JsonValue[] values, long length, boolean truncated) {
    return new JsonValue(Kind.ARRAY, null, 0, false, null, values, length,
        truncated || length > (values == null ? 0 : values.length));
  }

  public Kind kind() { return kind; }
  public boolean isMissing() { return kind == Kind.MISSING; }
  public boolean isNull() { return kind == Kind.NULL; }
  /** True for anything but {@link Kind#MISSING} and {@link Kind#NULL}. */
  public boolean isPresent() { return kind != Kind.MISSING && kind != Kind.NULL; }
  public boolean isObject() { return kind == Kind.OBJECT; }
  public boolean isArray() { return kind == Kind.ARRAY; }
  public boolean isString() { return kind == Kind.STRING; }
  public boolean isNumber() { return kind == Kind.NUMBER; }

  /** Whether something of this node was left out (cut string, dropped elements or fields, input ended inside). */
  public boolean isTruncated() { return truncated; }

  /** The field's value (the last one if repeated), or {@link #MISSING}; MISSING for anything but an object. */
  public JsonValue path(String field) {
    String[] k = keys;
    for (int i = k.length - 1; i >= 0; i--) {
      if (k[i].equals(field)) return values[i];
    }
    return MISSING;
  }

  /** The array element or object field value at this retained position, or {@link #MISSING}. */
  public JsonValue get(int index) {
    return index >= 0 && index < values.length ? values[index] : MISSING;
  }

  /**
   * The full size seen in the input: elements of an array, fields of an object, characters of a string (approximate
   * for the part of a very long streamed string that was dropped: escapes count per byte); 0 otherwise.
   */
  public long size() { return size; }

  /** Elements or fields actually kept. */
  public int retainedSize() { return values.length; }

  /** Name of the retained field at the position, or null. */
  public String fieldName(int index) {
    return index >= 0 && index < keys.length ? keys[index] : null;
  }

  /** The (possibly cut) text of a string node, else the default. */
  public String asText(String defaultValue) {
    return kind == Kind.STRING ? text : defaultValue;
  }

  /** A string's text if it is not empty, else null. */
  public String asNonEmptyText() {
    return kind == Kind.STRING && !text.isEmpty() ? text : null;
  }

  /** A number with an integral value, else the default. */
  public long asLong(long defaultValue) {
    if (kind != Kind.NUMBER) return defaultValue;
    if (integral) return longValue;
    double d = Double.longBitsToDouble(longValue);
    return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.0e18 ? (long) d : defaultValue;
  }

  public double asDouble(double defaultValue) {
    if (kind != Kind.NUMBER) return defaultValue;
    return integral ? (double) longValue : Double.longBitsToDouble(longValue);
  }

  public boolean asBoolean(boolean defaultValue) {
    return kind == Kind.BOOLEAN ? longValue != 0 : defaultValue;
  }

  /** Compact JSON of what was kept (cut strings appear cut); for logs and tests. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    write(out);
    return out.toString();
  }

  private void write(StringBuilder out) {
    switch (kind) {
      case OBJECT:
        out.append('{');
        for (int i = 0; i < values.length; i++) {
          if (i > 0) out.append(',');
          quote(out, keys[i]);
          out.append(':');
          values[i].write(out);
        }
        out.append('}');
        break;
      case ARRAY:
        out.append('[');
        for (int i = 0; i < values.length; i++) {
          if (i > 0) out.append(',');
          values[i].write(out);
        }
        out.append(']');
        break;
      case STRING:
        quote(out, text);
        break;
      case NUMBER:
        if (integral) out.append(longValue);
        else out.append(Double.longBitsToDouble(longValue));
        break;
      case BOOLEAN:
        out.append(longValue != 0);
        break;
      default:
        out.append("null");
    }
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    out.append('"');
  }
}
