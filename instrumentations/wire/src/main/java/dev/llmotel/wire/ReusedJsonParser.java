package dev.llmotel.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One Jackson non-blocking parser and one tree builder, reused for document after document: small documents (SSE
 * events, NDJSON lines, whole bodies of a few KB) are fed to it one after the other as a sequence of root values, so
 * that a document costs its tree only, not a new parser, its contexts, buffers and name table. A document it cannot
 * read exactly as a fresh parser would (anything but an object or array at the root, a syntax error, invalid UTF-8,
 * a document that ends inside its root value) is left to {@link JsonTreeReader}'s one-pass parse, and the parser is
 * replaced, so a reused parser only ever starts a document at a clean boundary between root values.
 *
 * <p>There is one idle instance, taken and given back by whichever thread parses (the agent's worker, in practice);
 * a thread that finds it taken parses the one-pass way. What the instance holds stays bounded: documents up to
 * {@link #MAX_DOCUMENT_BYTES}, and a parser is replaced after {@link #RETIRE_AFTER_BYTES} of input, which bounds the
 * field names its name table may have gathered.
 */
final class ReusedJsonParser {
  /** Larger documents are parsed the one-pass way (their per-byte cost dominates the parser's set-up). */
  static final int MAX_DOCUMENT_BYTES = 32 * 1024;
  /**
   * Input one parser reads before it is closed and replaced: its name table holds at most the distinct field names of
   * that much input, as a one-pass parser's does for a document of that size.
   */
  static final long RETIRE_AFTER_BYTES = 64 * 1024;

  private static final AtomicReference<ReusedJsonParser> IDLE =
      new AtomicReference<ReusedJsonParser>(new ReusedJsonParser());

  /** Receives nothing: {@link JsonParser#releaseBuffered} is asked only for the count of bytes not read. */
  private static final OutputStream UNREAD = new OutputStream() {
    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  };

  private static final byte[] NO_BYTES = new byte[0];

  private final JsonTreeBuilder builder = new JsonTreeBuilder(JsonLimits.defaults());
  private JsonParser parser;
  private ByteArrayFeeder feeder;
  /** Bytes fed to the current parser: the absolute offset at which the next document starts. */
  private long fed;

  private ReusedJsonParser() {}

  /**
   * The document's tree as {@code JsonTreeReader}'s one-pass parse gives it, or null when it must be parsed that way
   * (the reused parser is busy on another thread or cannot tell).
   */
  static JsonValue parse(JsonFactory factory, byte[] bytes, int offset, int length, JsonLimits limits) {
    if (length > MAX_DOCUMENT_BYTES || length > limits.maxDocumentBytes()) return null;
    int first = skipWhitespace(bytes, offset, offset + length);
    if (first == offset + length || (bytes[first] != '{' && bytes[first] != '[')) return null;
    ReusedJsonParser reused = IDLE.getAndSet(null);
    if (reused == null) return null;
    try {
      return reused.read(factory, bytes, offset, length, limits);
    } finally {
      IDLE.set(reused);
    }
  }

  private JsonValue read(JsonFactory factory, byte[] bytes, int offset, int length, JsonLimits limits) {
    builder.reset(limits);
    boolean keep = false;
    try {
      if (parser == null || fed > RETIRE_AFTER_BYTES) open(factory);
      fed += length;
      feeder.feedInput(bytes, offset, offset + length);
      builder.consume(parser);
      // still inside the root value at the end of the input: the one-pass parse says what it was
      if (!builder.done()) return null;
      JsonValue tree = builder.result();
      // the next document may only start where nothing but whitespace follows this one (the parser tells how many
      // bytes of the input it has not read yet, without allocating)
      int unread = parser.releaseBuffered(UNREAD);
      if (unread >= 0 && unread <= length
          && skipWhitespace(bytes, offset + length - unread, offset + length) == offset + length
          && parser.nextToken() == JsonToken.NOT_AVAILABLE && feeder.needMoreInput()) {
        // the parser keeps the array it was fed: while idle it must hold none of the caller's (an application's
        // buffer, of any size, when the call's own thread parses)
        feeder.feedInput(NO_BYTES, 0, 0);
        keep = true;
      }
      return tree;
    } catch (Exception malformed) {
      return null;
    } finally {
      // any other way out (malformed input, an Error such as a stack overflow mid-document) leaves the parser
      // somewhere inside a document: never reused
      if (!keep) discard();
      builder.reset(limits); // lets go of the tree
    }
  }

  /** The idle instance's parser, null when none is open or the instance is taken (tests). */
  static JsonParser idleParser() {
    ReusedJsonParser idle = IDLE.get();
    return idle == null ? null : idle.parser;
  }

  /** Bytes the idle instance's parser has been fed (tests). */
  static long idleFed() {
    ReusedJsonParser idle = IDLE.get();
    return idle == null ? -1 : idle.fed;
  }

  private void open(JsonFactory factory) throws Exception {
    discard();
    parser = factory.createNonBlockingByteArrayParser();
    feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    fed = 0;
  }

  private void discard() {
    JsonParser p = parser;
    parser = null;
    feeder = null;
    fed = 0;
    if (p == null) return;
    try {
      p.close();
    } catch (Exception ignored) {
      // nothing to release that matters
    }
  }

  private static int skipWhitespace(byte[] b, int from, int end) {
    int i = from;
    while (i < end) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
      i++;
    }
    return i;
  }
}
