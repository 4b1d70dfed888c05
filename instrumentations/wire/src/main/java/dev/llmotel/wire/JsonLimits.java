package dev.llmotel.wire;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * How much of a JSON document a {@link JsonTreeReader} keeps. Whatever the input, the tree never holds more than
 * these limits allow; what does not fit is counted (array lengths, string lengths) but not stored. Immutable: the
 * {@code with...} methods return a changed copy.
 */
public final class JsonLimits {
  private final int maxStringChars;
  private final int maxArrayElements;
  private final int maxObjectFields;
  private final int maxRetainedChars;
  private final int maxDepth;
  private final int maxNodes;
  private final long maxDocumentBytes;
  private final Set<String> summarizedFields;
  private final Set<String> ignoredFields;
  /** Bit n set when a summarized (ignored) name has n characters (bit 63: 63 or more): most names miss on it. */
  private final long summarizedLengths;
  private final long ignoredLengths;

  private JsonLimits(int maxStringChars, int maxArrayElements, int maxObjectFields, int maxRetainedChars,
      int maxDepth, int maxNodes, long maxDocumentBytes, Set<String> summarizedFields, Set<String> ignoredFields) {
    this.maxStringChars = Math.max(0, maxStringChars);
    this.maxArrayElements = Math.max(0, maxArrayElements);
    this.maxObjectFields = Math.max(0, maxObjectFields);
    this.maxRetainedChars = Math.max(0, maxRetainedChars);
    this.maxDepth = Math.max(1, maxDepth);
    this.maxNodes = Math.max(1, maxNodes);
    this.maxDocumentBytes = Math.max(0, maxDocumentBytes);
    this.summarizedFields = summarizedFields;
    this.ignoredFields = ignoredFields;
    this.summarizedLengths = lengths(summarizedFields);
    this.ignoredLengths = lengths(ignoredFields);
  }

  private static long lengths(Set<String> names) {
    long bits = 0;
    for (String name : names) bits |= lengthBit(name);
    return bits;
  }

  private static long lengthBit(String name) {
    return 1L << Math.min(name.length(), 63);
  }

  /**
   * Strings up to 1,024 chars, 64 array elements, 128 fields per object, 64 Ki retained chars, depth 32, 8,192
   * nodes, no byte limit, no summarized or ignored fields.
   */
  public static JsonLimits defaults() {
    return new JsonLimits(1024, 64, 128, 64 * 1024, 32, 8192, Long.MAX_VALUE, Collections.<String>emptySet(),
        Collections.<String>emptySet());
  }

  /** Characters kept of one string; longer strings are cut and remember their full length. */
  public JsonLimits withMaxStringChars(int n) {
    return new JsonLimits(n, maxArrayElements, maxObjectFields, maxRetainedChars, maxDepth, maxNodes,
        maxDocumentBytes, summarizedFields, ignoredFields);
  }

  /** Elements kept of one array; its full length is still counted. */
  public JsonLimits withMaxArrayElements(int n) {
    return new JsonLimits(maxStringChars, n, maxObjectFields, maxRetainedChars, maxDepth, maxNodes,
        maxDocumentBytes, summarizedFields, ignoredFields);
  }

  /** Fields kept of one object. */
  public JsonLimits withMaxObjectFields(int n) {
    return new JsonLimits(maxStringChars, maxArrayElements, n, maxRetainedChars, maxDepth, maxNodes,
        maxDocumentBytes, summarizedFields, ignoredFields);
  }

  /** Characters of strings and field names kept from the whole document. */
  public JsonLimits withMaxRetainedChars(int n) {
    return new JsonLimits(maxStringChars, maxArrayElements, maxObjectFields, n, maxDepth, maxNodes,
        maxDocumentBytes, summarizedFields, ignoredFields);
  }

  /** Nesting depth kept; deeper containers become empty, truncated placeholders (the root is depth 1). */
  public JsonLimits withMaxDepth(int n) {
    return new JsonLimits(maxStringChars, maxArrayElements, maxObjectFields, maxRetainedChars, n, maxNodes,
        maxDocumentBytes, summarizedFields, ignoredFields);
  }

  /** Values kept from the whole document. */
  public JsonLimits withMaxNodes(int n) {
    return new JsonLimits(maxStringChars, maxArrayElements, maxObjectFields, maxRetainedChars, maxDepth, n,
        maxDocumentBytes, summarizedFields, ignoredFields);
  }

  /** Bytes of input parsed at most; the rest is ignored and the tree is what was read by then. */
  public JsonLimits withMaxDocumentBytes(long n) {
    return new JsonLimits(maxStringChars, maxArrayElements, maxObjectFields, maxRetainedChars, maxDepth, maxNodes,
        n, summarizedFields, ignoredFields);
  }

  /**
   * Field names whose values are summarized instead of kept, wherever they occur: a string keeps only its length, an
   * array only its element count, an object only its field count (numbers, booleans and null are kept as they are).
   * Use it for bulky values whose size matters but whose content does not (embeddings, messages, logprobs).
   */
  public JsonLimits withSummarizedFields(String... names) {
    return new JsonLimits(maxStringChars, maxArrayElements, maxObjectFields, maxRetainedChars, maxDepth, maxNodes,
        maxDocumentBytes, set(names), ignoredFields);
  }

  /**
   * Field names whose values are skipped entirely, wherever they occur (cheaper than summarizing: strings are not
   * even decoded). Their fields are absent from the tree.
   */
  public JsonLimits withIgnoredFields(String... names) {
    return new JsonLimits(maxStringChars, maxArrayElements, maxObjectFields, maxRetainedChars, maxDepth, maxNodes,
        maxDocumentBytes, summarizedFields, set(names));
  }

  /** Like {@link #withIgnoredFields} but adding to the fields already ignored. */
  public JsonLimits withMoreIgnoredFields(String... names) {
    Set<String> union = new HashSet<String>(ignoredFields);
    union.addAll(Arrays.asList(names));
    return new JsonLimits(maxStringChars, maxArrayElements, maxObjectFields, maxRetainedChars, maxDepth, maxNodes,
        maxDocumentBytes, summarizedFields, union);
  }

  /** A plain set (never handed out): looked up for every field name, so without a wrapper's indirection. */
  private static Set<String> set(String... names) {
    return new HashSet<String>(Arrays.asList(names));
  }

  public int maxStringChars() { return maxStringChars; }
  public int maxArrayElements() { return maxArrayElements; }
  public int maxObjectFields() { return maxObjectFields; }
  public int maxRetainedChars() { return maxRetainedChars; }
  public int maxDepth() { return maxDepth; }
  public int maxNodes() { return maxNodes; }
  public long maxDocumentBytes() { return maxDocumentBytes; }

  boolean ignored(String fieldName) {
    return (ignoredLengths & lengthBit(fieldName)) != 0 && ignoredFields.contains(fieldName);
  }

  boolean summarized(String fieldName) {
    return (summarizedLengths & lengthBit(fieldName)) != 0 && summarizedFields.contains(fieldName);
  }
}
