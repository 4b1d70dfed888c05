package dev.llmotel.dialect;

/** Limits and settings a dialect session must respect. */
public final class DialectContext {
  private final int maxEventBytes;
  private final long maxParsedBytes;
  private final int maxRetainedChars;

  /**
   * @param maxEventBytes largest single SSE event / NDJSON line parsed (larger ones are skipped)
   * @param maxParsedBytes bytes of one body fed to parsers at most; the rest passes through unparsed
   * @param maxRetainedChars characters of strings kept from one JSON document at most
   */
  public DialectContext(int maxEventBytes, long maxParsedBytes, int maxRetainedChars) {
    this.maxEventBytes = maxEventBytes;
    this.maxParsedBytes = maxParsedBytes;
    this.maxRetainedChars = maxRetainedChars;
  }

  public static DialectContext defaults() {
    return new DialectContext(1 << 20, 64L << 20, 64 * 1024);
  }

  public int maxEventBytes() { return maxEventBytes; }
  public long maxParsedBytes() { return maxParsedBytes; }
  public int maxRetainedChars() { return maxRetainedChars; }
}
