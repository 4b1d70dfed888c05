package dev.llmotel.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

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
  private static final int INITIAL_CHILDREN = 16;
  static final int MAX_REUSED_NUMBER_CHARS = 256;
  /** Child arrays larger than this are let go at a {@link #reset} rather than kept for the next document. */
  private static final int MAX_KEPT_CHILDREN = 1024;

  private JsonLimits limits;
  private final DroppedChars dropped;
  /** The open containers, innermost last; frames are reused as containers open and close. */
  private Frame[] stack = new Frame[8];
  private int depth;
  /**
   * The children kept so far of every open container, each container's after its parent's (from the frame's
   * {@code start}): a container's arrays are allocated once, at their exact size, when it closes.
   */
  private String[] childKeys = new String[INITIAL_CHILDREN];
  private JsonValue[] childValues = new JsonValue[INITIAL_CHILDREN];
  private int children;
  /** Slots of the child arrays written since the last {@link #reset} (cleared there so no tree is held). */
  private int childrenUsed;
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
  /** Numbers written with more characters end the reading with an exception (see {@link #reset}). */
  private int maxNumberChars = Integer.MAX_VALUE;

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
   * Makes the builder ready for another document under the given limits (a builder without dropped characters
   * only), letting go of the previous tree.
   */
  void reset(JsonLimits newLimits) {
    limits = newLimits;
    // Jackson's parsers differ at the edge of their number length limit (1,000 digits): a reused parser leaves such
    // documents to a parser of their own, see ReusedJsonParser
    maxNumberChars = MAX_REUSED_NUMBER_CHARS;
    if (childValues.length > MAX_KEPT_CHILDREN) {
      childKeys = new String[INITIAL_CHILDREN];
      childValues = new JsonValue[INITIAL_CHILDREN];
    } else {
      Arrays.fill(childKeys, 0, childrenUsed, null);
      Arrays.fill(childValues, 0, childrenUsed, null);
    }
    for (int i = 0; i < depth; i++) stack[i].clear();
    children = 0;
    childrenUsed = 0;
    depth = 0;
    skipDepth = 0;
    summaryCount = 0;
    summaryIsArray = false;
    summaryKey = null;
    nodes = 0;
    charsLeft = newLimits.maxRetainedChars();
    stringOrdinal = 0;
    root = null;
    done = false;
  }

  /**
   * Consumes tokens until the root value is complete, the input ends ({@code null}) or more input is needed
   * ({@code NOT_AVAILABLE}). Parser exceptions propagate to the caller.
   */
  void consume(JsonParser p) throws IOException {
    while (!done) {
      JsonToken t = p.nextToken();
      if (t == null || t == JsonToken.NOT_AVAILABLE) return;
      if (maxNumberChars != Integer.MAX_VALUE && t.isNumeric() && p.getTextLength() > maxNumberChars) {
        throw new IOException("number too long for a reused parser");
      }
      token(p, t);
    }
  }

  /** The tree: complete when the root value ended, otherwise what was read so far (marked truncated), or null. */
  JsonValue result() {
    if (done) return root;
    while (depth > 0) close(true);
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
        if (disposition == SUMMARIZE || depth >= limits.maxDepth()) {
          skipDepth = 1;
          summaryKey = key == null ? "" : key;
          summaryIsArray = isArray;
          summaryCount = 0;
          return;
        }
        nodes++;
        push(isArray, key);
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
    if (depth == 0) return "";
    Frame f = top();
    return f.isArray ? "" : f.pendingKey;
  }

  /** Counts the value in its array and decides what becomes of it. */
  private int disposition(String key) {
    if (depth == 0) return KEEP;
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
    if (depth == 0) {
      root = value;
      done = true;
      return;
    }
    nodes++;
    Frame f = top();
    if (children == childValues.length) {
      childValues = Arrays.copyOf(childValues, children * 2);
      childKeys = Arrays.copyOf(childKeys, children * 2);
    }
    childKeys[children] = f.isArray ? null : key;
    childValues[children] = value;
    children++;
    if (children > childrenUsed) childrenUsed = children;
    f.size++;
    f.pendingKey = null;
  }

  private void push(boolean isArray, String keyInParent) {
    if (depth == stack.length) stack = Arrays.copyOf(stack, depth * 2);
    Frame f = stack[depth];
    if (f == null) stack[depth] = f = new Frame();
    f.open(isArray, keyInParent, children);
    depth++;
  }

  private void close(boolean cut) {
    if (depth == 0) return;
    Frame f = stack[--depth];
    JsonValue value = build(f, cut);
    String keyInParent = f.keyInParent;
    f.clear();
    nodes--; // the container was counted when it opened; add() counts it again
    if (depth == 0) {
      root = value;
      done = !cut;
      return;
    }
    if (cut) top().truncated = true;
    add(keyInParent, value);
  }

  /** The closed container's node, its children taken off the child arrays. */
  private JsonValue build(Frame f, boolean cut) {
    int size = f.size;
    JsonValue[] v = null;
    String[] k = null;
    if (size > 0) {
      v = new JsonValue[size];
      System.arraycopy(childValues, f.start, v, 0, size);
      if (!f.isArray) {
        k = new String[size];
        System.arraycopy(childKeys, f.start, k, 0, size);
      }
    }
    children = f.start;
    if (f.isArray) return JsonValue.array(v, f.count, f.truncated || cut);
    return JsonValue.object(k, v, f.count, f.truncated || cut);
  }

  private Frame top() {
    return stack[depth - 1];
  }

  /** A container being built: its children are on the builder's child arrays from {@code start}. */
  private static final class Frame {
    boolean isArray;
    String keyInParent;
    String pendingKey;
    int start;
    int size;
    long count;
    boolean truncated;

    void open(boolean array, String key, int firstChild) {
      isArray = array;
      keyInParent = key;
      pendingKey = null;
      start = firstChild;
      size = 0;
      count = 0;
      truncated = false;
    }

    void clear() {
      keyInParent = null;
      pendingKey = null;
    }
  }
}
