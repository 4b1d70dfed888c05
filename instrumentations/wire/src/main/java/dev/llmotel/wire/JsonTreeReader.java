package dev.llmotel.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;

/**
 * Reads one JSON document into a size-bounded {@link JsonValue} tree, either fed in pieces ({@link #feed},
 * {@link #end}) through Jackson's non-blocking parser, or at once with {@link #parse} through Jackson's byte-array
 * parser. Memory stays within the {@link JsonLimits} whatever the input size: very long strings are cut before the
 * non-blocking parser sees them. Invalid UTF-8 inside strings is read as U+FFFD and containers nested deeper than
 * {@link #maxParserDepth} are read as empty, in the reader's copy of the bytes (see {@link JsonStringClipper}), so
 * both cost only themselves, not the rest of the document. Otherwise malformed or truncated input yields what was
 * read before the problem (marked truncated) or null; no method throws.
 */
public final class JsonTreeReader {
  /**
   * Documents up to this size are parsed in one pass at their end (cheaper than feeding the non-blocking parser);
   * longer ones are parsed as they arrive, with the memory bounds of the limits.
   */
  static final int ONE_PASS_BYTES = 64 * 1024;

  static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();

  private final JsonLimits limits;
  /** {@link #ONE_PASS_BYTES}, or less where a test wants the incremental path without feeding that much. */
  private final int onePassBytes;
  /** Made when the document turns out longer than the one-pass size (most never do). */
  private JsonStringClipper clipper;
  private JsonTreeBuilder builder;
  private JsonStringClipper.Output toParser;
  /** The first bytes of a document, held back: a document that ends within them is parsed in one pass. */
  private final ByteAccumulator head;
  private boolean incremental;
  private JsonValue onePass;
  private JsonParser parser;
  private ByteArrayFeeder feeder;
  private long bytesSeen;
  private boolean stopped;
  /** The document was longer than the limit: what was kept ends where the limit cut it. */
  private boolean cutByLimit;

  public JsonTreeReader(JsonLimits limits) {
    this(limits, ONE_PASS_BYTES);
  }

  /**
   * A reader that holds back at most {@code onePassBytes} before it parses as the bytes arrive; with 0, every document
   * takes the incremental path from its first byte. For tests: the fuzzer reaches that path without feeding 64 KiB of
   * white space per execution.
   */
  JsonTreeReader(JsonLimits limits, int onePassBytes) {
    this.limits = limits;
    this.onePassBytes = Math.max(0, onePassBytes);
    this.head = new ByteAccumulator(this.onePassBytes);
  }

  /**
   * Containers nested deeper than this reach the parser empty: at least one level past the deepest the tree keeps
   * (so the count of the first summarized level stays exact) and at least 256, but below Jackson's nesting limit of
   * 1,000, which would otherwise end the document there. It also bounds the parser's per-level state.
   */
  static int maxParserDepth(JsonLimits limits) {
    return Math.min(Math.max(limits.maxDepth() + 1, 256), 999);
  }

  /**
   * Parses a whole document at once; null when nothing could be read. Small documents go through a reused parser
   * ({@link ReusedJsonParser}), with the same result as a parser of their own.
   */
  public static JsonValue parse(byte[] bytes, int offset, int length, JsonLimits limits) {
    JsonValue reused = ReusedJsonParser.parse(FACTORY, bytes, offset, length, limits);
    return reused != null ? reused : parseOnePass(bytes, offset, length, limits);
  }

  /** {@link #parse} with a parser of its own. */
  static JsonValue parseOnePass(byte[] bytes, int offset, int length, JsonLimits limits) {
    if (length > limits.maxDocumentBytes()) length = beforeCutNumber(bytes, offset, (int) limits.maxDocumentBytes());
    JsonTreeBuilder builder = new JsonTreeBuilder(limits);
    JsonParser p = null;
    try {
      p = FACTORY.createParser(bytes, offset, length);
      builder.consume(p);
    } catch (Exception malformed) {
      close(p);
      p = null;
      // invalid UTF-8 in a string or nesting past the parser's limit: read again through the repairing clipper
      // (rare, so the common case pays nothing for it); anything else keeps what was read
      if (needsRepair(bytes, offset, length, limits)) return parseRepaired(bytes, offset, length, limits);
    } finally {
      close(p);
    }
    return builder.result();
  }

  /**
   * The length of a document cut at the limit without the number it may end in: {@code "prompt_tokens":19} cut after
   * the {@code 1} would otherwise be read as 1 (the incremental path drops such a scalar too).
   */
  static int beforeCutNumber(byte[] bytes, int offset, int length) {
    int end = length;
    while (end > 0) {
      byte c = bytes[offset + end - 1];
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') end--;
      else break;
    }
    return end;
  }

  private static final JsonStringClipper.Output DISCARD = (b, start, end) -> { };

  private static boolean needsRepair(byte[] bytes, int offset, int length, JsonLimits limits) {
    JsonStringClipper check = new JsonStringClipper(Integer.MAX_VALUE, maxParserDepth(limits));
    check.feed(bytes, offset, length, DISCARD);
    return check.repaired();
  }

  /** Parses the clipper's repaired copy of the document (at most three bytes per input byte) in one pass. */
  private static JsonValue parseRepaired(byte[] bytes, int offset, int length, JsonLimits limits) {
    JsonStringClipper repair = new JsonStringClipper(Integer.MAX_VALUE, maxParserDepth(limits));
    ByteAccumulator copy = new ByteAccumulator((int) Math.min(3L * length + 16, Integer.MAX_VALUE - 8));
    JsonStringClipper.Output toCopy = (b, start, end) -> copy.append(b, start, end - start);
    repair.feed(bytes, offset, length, toCopy);
    repair.flush(toCopy);
    JsonTreeBuilder builder = new JsonTreeBuilder(limits);
    JsonParser p = null;
    try {
      p = FACTORY.createParser(copy.array(), 0, copy.length());
      builder.consume(p);
    } catch (Exception malformed) {
      // keep what was read
    } finally {
      close(p);
    }
    return builder.result();
  }

  /** Feeds the next bytes of the document. */
  public void feed(byte[] bytes, int offset, int length) {
    if (stopped || length <= 0) return;
    long room = limits.maxDocumentBytes() - bytesSeen;
    if (length > room) {
      // the piece that reaches the limit: its bytes up to the limit are read, then nothing more
      length = (int) Math.max(0, room);
      cutByLimit = true;
      try {
        if (length > 0) read(bytes, offset, length);
        // a separator the clipper holds back goes to the parser: it ends the number before it (a number the limit cut
        // reaches the parser unfinished and is not read, as beforeCutNumber leaves it out on the one-pass paths)
        if (incremental && clipper != null) clipper.flush(toParser);
      } finally {
        stop();
      }
      return;
    }
    read(bytes, offset, length);
  }

  private void read(byte[] bytes, int offset, int length) {
    bytesSeen += length;
    if (!incremental) {
      if (onePassBytes > 0 && head.length() == 0 && !stopped && endsContainer(bytes, offset, length)) {
        // most documents arrive in one piece: read it now, without copying it (null when it was not whole)
        JsonValue whole = ReusedJsonParser.parse(FACTORY, bytes, offset, length, limits);
        if (whole != null) {
          onePass = whole;
          stopped = true;
          return;
        }
      }
      if (head.append(bytes, offset, length)) return;
      incremental = true;
      if (head.length() > 0) feedIncrementally(head.array(), 0, head.length());
      head.release();
    }
    feedIncrementally(bytes, offset, length);
  }

  /** Whether the last byte that is not whitespace closes an object or array. */
  private static boolean endsContainer(byte[] bytes, int offset, int length) {
    for (int i = offset + length - 1; i >= offset; i--) {
      byte c = bytes[i];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      return c == '}' || c == ']';
    }
    return false;
  }

  private void feedIncrementally(byte[] bytes, int offset, int length) {
    if (stopped) return;
    try {
      if (parser == null) {
        // room for the kept characters of a string or field name even if each is a 6-byte escape
        int keptChars = Math.max(limits.maxStringChars(), JsonTreeBuilder.MAX_NAME_CHARS);
        long clip = Math.min((long) keptChars * 6 + 16, 1 << 30);
        clipper = new JsonStringClipper((int) clip, maxParserDepth(limits));
        builder = new JsonTreeBuilder(limits, clipper);
        toParser = this::toParser;
        parser = FACTORY.createNonBlockingByteArrayParser();
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
      }
      clipper.feed(bytes, offset, length, toParser);
    } catch (Exception malformed) {
      stop();
    }
  }

  private void onePass() {
    int length = cutByLimit ? beforeCutNumber(head.array(), 0, head.length()) : head.length();
    onePass = length == 0 ? null : parse(head.array(), 0, length, limits);
    stopped = true;
    head.release();
  }

  /** The input ended: returns the tree (complete or partial), or null when nothing could be read. */
  public JsonValue end() {
    if (!incremental) {
      if (onePass == null && head.length() > 0) onePass();
      stopped = true;
      return onePass;
    }
    if (!stopped && parser != null) {
      clipper.flush(toParser); // the input's end: a separator the clipper held back is its last byte
      if (!stopped) {
        try {
          feeder.endOfInput();
          builder.consume(parser);
        } catch (Exception truncated) {
          // keep what was read
        }
      }
    }
    stop();
    return builder == null ? null : builder.result();
  }

  private void toParser(byte[] bytes, int start, int end) {
    if (stopped) return;
    try {
      feeder.feedInput(bytes, start, end);
      builder.consume(parser);
      if (builder.done()) stop();
    } catch (Exception malformed) {
      stop();
    }
  }

  private void stop() {
    stopped = true;
    close(parser);
  }

  private static void close(JsonParser p) {
    if (p == null) return;
    try {
      p.close();
    } catch (Exception ignored) {
      // nothing to release that matters
    }
  }
}
