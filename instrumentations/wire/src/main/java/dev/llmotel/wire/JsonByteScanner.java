package dev.llmotel.wire;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;

/**
 * Tokens of one UTF-8 JSON document held whole in a byte array: what {@link JsonTreeReader#parse} reads, in place of
 * Jackson's parser, at a fraction of the code (and of the JIT's work on it). It follows Jackson's default byte parser
 * and fails at the same token: a field name is returned only once the start of its value is valid (numbers and
 * literals complete), a string's text is checked when it is read or skipped, and Jackson's nesting depth (1,000) and
 * number length (1,000 digits) limits apply. Known differences, all on input no API sends: the 50,000 name limit
 * counts raw bytes (Jackson: unescaped UTF-8 bytes), Jackson's 20,000,000-char string limit is not applied, and a
 * name holding an overlong 4-byte UTF-8 sequence decodes to other replacement characters. Not thread-safe.
 */
final class JsonByteScanner implements JsonTokens {
  static final int MAX_DEPTH = 1000;
  static final int MAX_NUMBER_DIGITS = 1000;
  static final int MAX_NAME_BYTES = 50_000;

  /** True for the bytes a string's plain run stops at: control characters, quote, backslash, non-ASCII. */
  private static final boolean[] STOPS_RUN = new boolean[256];

  static {
    for (int b = 0; b < 256; b++) STOPS_RUN[b] = b < 0x20 || b == '"' || b == '\\' || b >= 0x80;
  }

  /**
   * Field names seen lately, by a hash of their bytes: documents of one API repeat the same few dozen names, and a
   * reused instance has its hash code computed. Racy on purpose: a slot holds some immutable name or null, and a hit
   * is checked byte by byte.
   */
  private static final String[] NAMES = new String[512];

  private static final byte ARRAY_FIRST = 1;
  private static final byte ARRAY_NEXT = 2;
  private static final byte OBJECT_FIRST = 3;
  private static final byte OBJECT_NEXT = 4;

  private final byte[] in;
  private final int end;
  private int pos;

  private byte[] contexts = new byte[16];
  private int depth;
  private boolean rootDone;
  /** The value token prefetched with a field name, returned by the next call. */
  private JsonToken afterName;

  /** The current string value starts here (after its quote) and has not been read. */
  private int stringStart = -1;
  private boolean stringUnread;
  private char[] chars = new char[128];
  private int charCount;
  private String name;

  private int numberStart;
  private int numberEnd;
  private boolean numberIntegral;
  private long longValue;
  private boolean longKnown;

  JsonByteScanner(byte[] bytes, int offset, int length) {
    this.in = bytes;
    this.end = offset + length;
    int p = offset;
    if (length >= 3 && (bytes[p] & 0xFF) == 0xEF && (bytes[p + 1] & 0xFF) == 0xBB && (bytes[p + 2] & 0xFF) == 0xBF) {
      p += 3; // byte order mark
    }
    this.pos = p;
  }

  /**
   * Whether this scanner reads the document as Jackson would: Jackson takes input with a zero byte among its first
   * four bytes for UTF-16 or UTF-32; those few documents are left to Jackson.
   */
  static boolean handles(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + Math.min(4, length); i++) {
      if (bytes[i] == 0) return false;
    }
    return true;
  }

  @Override
  public JsonToken next() throws IOException {
    if (afterName != null) {
      JsonToken t = afterName;
      afterName = null;
      contexts[depth - 1] = OBJECT_NEXT;
      if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) push(t == JsonToken.START_ARRAY);
      else if (t == JsonToken.VALUE_STRING) stringUnread = true;
      return t;
    }
    if (stringUnread) {
      stringUnread = false;
      pos = scanString(stringStart, false);
    }
    if (depth == 0) {
      if (rootDone) return null; // one root value is read
      int c = skipWhitespace();
      if (c < 0) return null;
      return value(c);
    }
    int c = skipWhitespace();
    if (c < 0) throw error("end of input inside a container");
    if (c == ']' || c == '}') return close(c);
    byte context = contexts[depth - 1];
    if (context == ARRAY_NEXT || context == OBJECT_NEXT) {
      if (c != ',') throw error("expected a comma");
      c = skipWhitespace();
      if (c < 0) throw error("end of input after a comma");
    }
    if (context == ARRAY_FIRST || context == ARRAY_NEXT) {
      contexts[depth - 1] = ARRAY_NEXT;
      return value(c);
    }
    return fieldName(c);
  }

  /** A value starting with {@code c} (already consumed). */
  private JsonToken value(int c) throws IOException {
    if (depth == 0) rootDone = true;
    switch (c) {
      case '"':
        stringStart = pos;
        stringUnread = true;
        return JsonToken.VALUE_STRING;
      case '[':
        push(true);
        return JsonToken.START_ARRAY;
      case '{':
        push(false);
        return JsonToken.START_OBJECT;
      default:
        return scalar(c);
    }
  }

  /** A number or literal starting with {@code c} (already consumed), read whole; anything else is an error. */
  private JsonToken scalar(int c) throws IOException {
    switch (c) {
      case 't':
        literal("true");
        return JsonToken.VALUE_TRUE;
      case 'f':
        literal("false");
        return JsonToken.VALUE_FALSE;
      case 'n':
        literal("null");
        return JsonToken.VALUE_NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number(c);
        throw error("unexpected character");
    }
  }

  private JsonToken fieldName(int c) throws IOException {
    if (c != '"') throw error("expected a field name");
    int close = scanString(pos, true);
    if (close - pos - 1 > MAX_NAME_BYTES) throw error("field name too long");
    name = name(pos, close - 1);
    pos = close;
    c = skipWhitespace();
    if (c != ':') throw error("expected a colon");
    c = skipWhitespace();
    if (c < 0) throw error("end of input after a colon");
    switch (c) {
      case '"':
        stringStart = pos;
        afterName = JsonToken.VALUE_STRING;
        break;
      case '[':
        afterName = JsonToken.START_ARRAY;
        break;
      case '{':
        afterName = JsonToken.START_OBJECT;
        break;
      default:
        afterName = scalar(c);
    }
    return JsonToken.FIELD_NAME;
  }

  /** The decoded name in {@link #chars}, whose bytes are {@code in[from, to)}: a cached instance when they match. */
  private String name(int from, int to) {
    int n = charCount;
    if (n != to - from || n > 64) return new String(chars, 0, n); // escapes, multi-byte characters, long names
    int hash = 0;
    for (int i = from; i < to; i++) hash = 31 * hash + in[i];
    int slot = (hash ^ (hash >>> 9)) & (NAMES.length - 1);
    String cached = NAMES[slot];
    if (cached != null && cached.length() == n) {
      int i = 0;
      while (i < n && cached.charAt(i) == chars[i]) i++;
      if (i == n) return cached;
    }
    String fresh = new String(chars, 0, n);
    NAMES[slot] = fresh;
    return fresh;
  }

  private void push(boolean array) throws IOException {
    if (depth >= MAX_DEPTH) throw error("nesting too deep");
    if (depth == contexts.length) {
      byte[] grown = new byte[depth * 2];
      System.arraycopy(contexts, 0, grown, 0, depth);
      contexts = grown;
    }
    contexts[depth++] = array ? ARRAY_FIRST : OBJECT_FIRST;
  }

  private JsonToken close(int c) throws IOException {
    byte context = contexts[depth - 1];
    boolean array = context == ARRAY_FIRST || context == ARRAY_NEXT;
    if (array != (c == ']')) throw error("mismatched close marker");
    depth--;
    return array ? JsonToken.END_ARRAY : JsonToken.END_OBJECT;
  }

  /** Skips JSON white space; returns the next byte (consumed) or -1 at the end. Other control bytes are errors. */
  private int skipWhitespace() throws IOException {
    while (pos < end) {
      int c = in[pos++] & 0xFF;
      if (c > ' ') return c;
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') throw error("control character");
    }
    return -1;
  }

  private void literal(String word) throws IOException {
    for (int i = 1; i < word.length(); i++) {
      if (pos >= end || in[pos] != word.charAt(i)) throw error("unrecognized token");
      pos++;
    }
    if (pos >= end) return;
    int c = in[pos] & 0xFF;
    // Jackson ends a literal at a byte below '0', ']', '}' or any ASCII character that cannot continue a Java name;
    // a byte of a multi-byte character is always an error there
    if (c >= 0x80 || (c >= '0' && c != ']' && c != '}' && Character.isJavaIdentifierPart((char) c))) {
      throw error("unrecognized token");
    }
  }

  /** A number starting with {@code c} (already consumed); Jackson's grammar, errors and length limit. */
  private JsonToken number(int c) throws IOException {
    numberStart = pos - 1;
    longKnown = false;
    if (c == '-') {
      if (pos >= end) throw error("end of input in a number");
      c = in[pos++] & 0xFF;
      if (c < '0' || c > '9') throw error("invalid number");
    }
    int intDigits = 1;
    if (c == '0' && pos < end && in[pos] >= '0' && in[pos] <= '9') throw error("leading zeroes");
    while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
      pos++;
      intDigits++;
    }
    int fractionDigits = 0;
    int exponentDigits = 0;
    boolean integral = true;
    if (pos < end && in[pos] == '.') {
      integral = false;
      pos++;
      while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
        pos++;
        fractionDigits++;
      }
      if (fractionDigits == 0) throw error("decimal point not followed by a digit");
    }
    if (pos < end && (in[pos] | 0x20) == 'e') {
      integral = false;
      pos++;
      if (pos < end && (in[pos] == '-' || in[pos] == '+')) pos++;
      while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
        pos++;
        exponentDigits++;
      }
      if (exponentDigits == 0) throw error("exponent not followed by a digit");
    }
    numberEnd = pos;
    if (depth == 0 && pos < end) {
      int next = in[pos] & 0xFF;
      if (next != ' ' && next != '\t' && next != '\r' && next != '\n') throw error("root value not followed by space");
    }
    if (intDigits + fractionDigits + exponentDigits > MAX_NUMBER_DIGITS) throw error("number too long");
    numberIntegral = integral;
    if (integral && intDigits <= 18) {
      long v = 0;
      int p = numberStart;
      boolean negative = in[p] == '-';
      if (negative) p++;
      for (; p < numberEnd; p++) v = v * 10 + (in[p] - '0');
      longValue = negative ? -v : v;
      longKnown = true;
    }
    return integral ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
  }

  private String numberText() {
    return new String(in, numberStart, numberEnd - numberStart, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @Override
  public boolean isIntegral() {
    if (!numberIntegral) return false;
    if (longKnown) return true;
    BigInteger big = new BigInteger(numberText());
    if (big.bitLength() > 63) return false;
    longValue = big.longValue();
    longKnown = true;
    return true;
  }

  @Override
  public long longValue() {
    return isIntegral() ? longValue : (long) doubleValue();
  }

  @Override
  public double doubleValue() {
    if (longKnown) return longValue;
    return Double.parseDouble(numberText());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int textLength() throws IOException {
    readString();
    return charCount;
  }

  @Override
  public char[] textChars() throws IOException {
    readString();
    return chars;
  }

  @Override
  public int textOffset() {
    return 0;
  }

  private void readString() throws IOException {
    if (!stringUnread) return;
    stringUnread = false;
    pos = scanString(stringStart, true);
  }

  /**
   * Checks the string whose content starts at {@code p}, decoding it into {@link #chars} when {@code decode}; returns
   * the position after its closing quote.
   */
  private int scanString(int p, boolean decode) throws IOException {
    int n = 0;
    while (true) {
      // a run of printable ASCII other than quote and backslash (STOPS_RUN also stops at every non-ASCII byte)
      if (decode) {
        int limit = Math.min(end, p + chars.length - n);
        char[] out = chars;
        while (p < limit) {
          byte b = in[p];
          if (STOPS_RUN[b & 0xFF]) break;
          out[n++] = (char) b;
          p++;
        }
        if (p == limit && p < end) {
          grow(n, p);
          continue;
        }
      } else {
        while (p < end && !STOPS_RUN[in[p] & 0xFF]) p++;
      }
      if (p >= end) throw error("end of input in a string");
      int c = in[p++] & 0xFF;
      if (c == '"') break;
      if (c == '\\') {
        if (p >= end) throw error("end of input in an escape");
        int e = in[p++];
        switch (e) {
          case 'b': c = '\b'; break;
          case 't': c = '\t'; break;
          case 'n': c = '\n'; break;
          case 'f': c = '\f'; break;
          case 'r': c = '\r'; break;
          case '"':
          case '/':
          case '\\':
            c = e;
            break;
          case 'u':
            c = 0;
            for (int i = 0; i < 4; i++) {
              if (p >= end) throw error("end of input in an escape");
              int digit = in[p] < 0 ? -1 : Character.digit(in[p], 16);
              p++;
              if (digit < 0) throw error("expected a hex digit");
              c = (c << 4) | digit;
            }
            break;
          default:
            throw error("unrecognized escape");
        }
        n = put(n, c, decode, p);
        continue;
      }
      if (c < 0x20) throw error("control character in a string");
      int needed;
      if ((c & 0xE0) == 0xC0) {
        c &= 0x1F;
        needed = 1;
      } else if ((c & 0xF0) == 0xE0) {
        c &= 0x0F;
        needed = 2;
      } else if ((c & 0xF8) == 0xF0) {
        c &= 0x07;
        needed = 3;
      } else {
        throw error("invalid UTF-8 start byte");
      }
      for (int i = 0; i < needed; i++) {
        if (p >= end) throw error("end of input in a UTF-8 sequence");
        int d = in[p++];
        if ((d & 0xC0) != 0x80) throw error("invalid UTF-8 continuation byte");
        c = (c << 6) | (d & 0x3F);
      }
      if (needed == 3) {
        c -= 0x10000;
        n = put(n, 0xD800 | (c >> 10), decode, p);
        c = 0xDC00 | (c & 0x3FF);
      }
      n = put(n, c, decode, p);
    }
    if (decode) charCount = n; // a skipped string's length is never asked for, nor counted
    return p;
  }

  private int put(int n, int c, boolean decode, int p) {
    if (decode) {
      if (n == chars.length) grow(n, p);
      chars[n] = (char) c;
    }
    return n + 1;
  }

  /**
   * Makes room for more of a string whose first {@code n} characters are decoded and whose bytes go on at {@code p}:
   * double the buffer, but never past what the rest of the input can hold (a character takes at least one byte), so
   * one long string costs about twice its own size, not the size of the rest of the document.
   */
  private void grow(int n, int p) {
    int rest = n + Math.max(2, end - p);
    char[] grown = new char[Math.max(n + 2, Math.min(chars.length * 2, rest))];
    System.arraycopy(chars, 0, grown, 0, n);
    chars = grown;
  }

  private IOException error(String what) {
    return new IOException(what + " at byte " + pos);
  }
}
