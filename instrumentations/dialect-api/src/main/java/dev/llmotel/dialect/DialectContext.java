package dev.llmotel.dialect;

/** Limits and settings a dialect session must respect. */
public final class DialectContext {
  private final int maxEventBytes;
  private final long maxParsedBytes;
  private final int maxRetainedChars;
  private final boolean captureContent;
  private final int maxContentChars;

  /** Without content capture. */
  public DialectContext(int maxEventBytes, long maxParsedBytes, int maxRetainedChars) {
    this(maxEventBytes, maxParsedBytes, maxRetainedChars, false, 0);
  }

  /**
   * @param maxEventBytes largest single SSE event parsed (larger ones are skipped)
   * @param maxParsedBytes bytes of one body fed to parsers at most; the rest passes through unparsed
   * @param maxRetainedChars characters of strings kept from one JSON document at most
   * @param captureContent whether prompts and completions may be kept (opt-in; when false a dialect must not retain
   *     any message text)
   * @param maxContentChars characters of message text kept per message part at most (longer text is cut and marked)
   */
  public DialectContext(int maxEventBytes, long maxParsedBytes, int maxRetainedChars, boolean captureContent,
      int maxContentChars) {
    this.maxEventBytes = maxEventBytes;
    this.maxParsedBytes = maxParsedBytes;
    this.maxRetainedChars = maxRetainedChars;
    this.captureContent = captureContent;
    this.maxContentChars = maxContentChars;
  }

  public static DialectContext defaults() {
    return new DialectContext(1 << 20, 64L << 20, 64 * 1024);
  }

  public int maxEventBytes() { return maxEventBytes; }
  public long maxParsedBytes() { return maxParsedBytes; }
  public int maxRetainedChars() { return maxRetainedChars; }
  public boolean captureContent() { return captureContent; }
  public int maxContentChars() { return maxContentChars; }
}
