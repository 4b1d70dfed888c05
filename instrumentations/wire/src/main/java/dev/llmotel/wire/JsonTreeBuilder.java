package dev.llmotel.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;

/**
 * Builds a {@link JsonValue} tree from a Jackson token stream within {@link JsonLimits}. Values that do not fit are
 * skipped without being decoded where Jackson allows; containers still count every element. Only the first root
 * value is read.
 */
final class JsonTreeBuilder {
  /** Supplies how many characters of a string token were dropped before the parser saw it. */
  interface DroppedChars {
    long forString(long ordinal);
  }

  /** Field names longer than this are dropped with their values (whatever the string limit). */
  static final int MAX_NAME_CHARS = 256;

  private static final DroppedChars NONE = ordinal -> 0;

  private final JsonLimits limits;
  private final DroppedChars dropped;
  private final ArrayList<Frame> stack = new ArrayList<Frame>();
  private int skipDepth;
  /** Elements (or fields) counted directly inside a summarized container. */
  private long summaryCount;
  private boolean summaryIsArray;
  private String summaryKey;
  private int nodes;
  private int charsLeft;
  private long stringOrdinal;
  private JsonValue root;
  private boolean done;

  JsonTreeBuilder(JsonLimits limits, DroppedChars dropped) {
    this.limits = limits;
    this.dropped = dropped == null ? NONE : dropped;
    this.charsLeft = limits.maxRetainedChars();
  }

  JsonTreeBuilder(JsonLimits limits) {
    this(limits, null);
  }

  boolean done() { return done; }

  /**
   * Consumes tokens until the root value is complete, the input ends ({@code null}) or more input is needed
   * ({@code NOT_AVAILABLE}). Parser exceptions propagate to the caller.
   */
  void consume(JsonParser p) throws IOException {
    while (!done) {
      JsonToken t = p.nextToken();
      if (t == null || t == JsonToken.NOT_AVAILABLE) return;
      token(p, t);
    }
  }

  /** The tree: complete when the root value ended, otherwise what was read so far (marked truncated), or null. */
  JsonValue result() {
    if (done) return root;
    while (!stack.isEmpty()) close(true);
    return root;
  }

  private void token(JsonParser p, JsonToken t) throws IOException {
    if (skipDepth > 0) {
      skipToken(t);
      return;
    }
    switch (t) {
      case FIELD_NAME: {
        stringOrdinal++;
        Frame f = top();
        f.count++;
        f.pendingKey = null;
        if (f.size >= limits.maxObjectFields() || nodes >= limits.maxNodes()) {
          f.truncated = true;
          return;
        }
        String name = p.currentName();
        if (limits.ignored(name)) return;
        long full = name.length() + dropped.forString(stringOrdinal);
        if (full > MAX_NAME_CHARS || name.length() > charsLeft) {
          f.truncated = true;
          return;
        }
        charsLeft -= name.length();
        f.pendingKey = name;
        return;
      }
      case START_OBJECT:
      case START_ARRAY: {
        boolean isArray = t == JsonToken.START_ARRAY;
        String key = positionKey();
        int disposition = disposition(key);
        if (disposition == SKIP) {
          skipDepth = 1;
          summaryKey = null;
          return;
        }
        if (disposition == SUMMARIZE || stack.size() >= limits.maxDepth()) {
          skipDepth = 1;
          summaryKey = key == null ? "" : key;
          summaryIsArray = isArray;
          summaryCount = 0;
          return;
        }
        nodes++;
        stack.add(new Frame(isArray, key));
        return;
      }
      case END_OBJECT:
      case END_ARRAY:
        close(false);
        return;
      case VALUE_STRING: {
        stringOrdinal++;
        String key = positionKey();
        int disposition = disposition(key);
        if (disposition == SKIP) return;
        int length = p.getTextLength();
        long full = length + dropped.forString(stringOrdinal);
        int keep = disposition == SUMMARIZE ? 0 : Math.min(length, Math.min(limits.maxStringChars(), charsLeft));
        String text;
        if (keep == 0) {
          text = "";
        } else {
          char[] chars = p.getTextCharacters();
          int offset = p.getTextOffset();
          if (keep < length && Character.isHighSurrogate(chars[offset + keep - 1])) keep--;
          text = new String(chars, offset, keep);
        }
        charsLeft -= keep;
        add(key, JsonValue.string(text, full));
        return;
      }
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT: {
        String key = positionKey();
        if (disposition(key) == SKIP) return;
        JsonParser.NumberType type = p.getNumberType();
        if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
          add(key, JsonValue.integer(p.getLongValue()));
        } else {
          add(key, JsonValue.decimal(p.getDoubleValue()));
        }
        return;
      }
      case VALUE_TRUE:
      case VALUE_FALSE:
      case VALUE_NULL: {
        String key = positionKey();
        if (disposition(key) == SKIP) return;
        add(key, t == JsonToken.VALUE_TRUE ? JsonValue.TRUE : t == JsonToken.VALUE_FALSE ? JsonValue.FALSE
            : JsonValue.NULL);
        return;
      }
      default:
        // embedded objects do not occur in JSON text
    }
  }

  private static final int KEEP = 0;
  private static final int SUMMARIZE = 1;
  private static final int SKIP = 2;

  /** The key the next value goes under: a field name, "" in an array or at the root, null when it is dropped. */
  private String positionKey() {
    if (stack.isEmpty()) return "";
    Frame f = top();
    return f.isArray ? "" : f.pendingKey;
  }

  /** Counts the value in its array and decides what becomes of it. */
  private int disposition(String key) {
    if (stack.isEmpty()) return KEEP;
    Frame f = top();
    if (f.isArray) {
      f.count++;
      if (f.size >= limits.maxArrayElements()) {
        f.truncated = true;
        return SKIP;
      }
    } else if (key == null) {
      return SKIP;
    }
    if (nodes >= limits.maxNodes()) {
      f.truncated = true;
      return SKIP;
    }
    if (!f.isArray && limits.summarized(key)) return SUMMARIZE;
    return KEEP;
  }

  private void skipToken(JsonToken t) {
    switch (t) {
      case START_OBJECT:
      case START_ARRAY:
        if (skipDepth == 1 && summaryIsArray) summaryCount++;
        skipDepth++;
        return;
      case END_OBJECT:
      case END_ARRAY:
        if (--skipDepth == 0 && summaryKey != null) {
          JsonValue placeholder = summaryIsArray
              ? JsonValue.array(null, summaryCount, true)
              : JsonValue.object(null, null, summaryCount, true);
          String key = summaryKey;
          summaryKey = null;
          add(key, placeholder);
        }
        return;
      case FIELD_NAME:
        stringOrdinal++;
        if (skipDepth == 1 && !summaryIsArray) summaryCount++;
        return;
      case VALUE_STRING:
        stringOrdinal++;
        if (skipDepth == 1 && summaryIsArray) summaryCount++;
        return;
      default:
        if (skipDepth == 1 && summaryIsArray) summaryCount++;
    }
  }

  private void add(String key, JsonValue value) {
    if (stack.isEmpty()) {
      root = value;
      done = true;
      return;
    }
    nodes++;
    Frame f = top();
    f.add(key, value);
    f.pendingKey = null;
  }

  private void close(boolean cut) {
    if (stack.isEmpty()) return;
    Frame f = stack.remove(stack.size() - 1);
    JsonValue value = f.build(cut);
    nodes--; // the container was counted when it opened; add() counts it again
    if (stack.isEmpty()) {
      root = value;
      done = !cut;
      return;
    }
    if (cut) top().truncated = true;
    add(f.keyInParent, value);
  }

  private Frame top() {
    return stack.get(stack.size() - 1);
  }

  /** A container being built. */
  private static final class Frame {
    final boolean isArray;
    final String keyInParent;
    String pendingKey;
    String[] keys;
    JsonValue[] values;
    int size;
    long count;
    boolean truncated;

    Frame(boolean isArray, String keyInParent) {
      this.isArray = isArray;
      this.keyInParent = keyInParent;
    }

    void add(String key, JsonValue value) {
      if (values == null) {
        values = new JsonValue[4];
        if (!isArray) keys = new String[4];
      } else if (size == values.length) {
        JsonValue[] v = new JsonValue[size * 2];
        System.arraycopy(values, 0, v, 0, size);
        values = v;
        if (!isArray) {
          String[] k = new String[size * 2];
          System.arraycopy(keys, 0, k, 0, size);
          keys = k;
        }
      }
      values[size] = value;
      if (!isArray) keys[size] = key;
      size++;
    }

    JsonValue build(boolean cut) {
      JsonValue[] v = null;
      if (values != null) {
        v = values.length == size ? values : new JsonValue[size];
        if (v != values) System.arraycopy(values, 0, v, 0, size);
      }
      if (isArray) return JsonValue.array(v, count, truncated || cut);
      String[] k = null;
      if (keys != null) {
        k = keys.length == size ? keys : new String[size];
        if (k != keys) System.arraycopy(keys, 0, k, 0, size);
      }
      return JsonValue.object(k, v, count, truncated || cut);
    }
  }
}
