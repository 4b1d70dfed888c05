package dev.llmotel.dialect;

/** Limits and settings a dialect session must respect. Immutable; build one with {@link #builder()}. */
public final class DialectContext {
  private static final DialectContext DEFAULTS = builder().build();

  private final int maxEventBytes;
  private final long maxParsedBytes;
  private final int maxRetainedChars;
  private final boolean captureContent;
  private final int maxContentChars;

  private DialectContext(Builder b) {
    this.maxEventBytes = b.maxEventBytes;
    this.maxParsedBytes = b.maxParsedBytes;
    this.maxRetainedChars = b.maxRetainedChars;
    this.captureContent = b.captureContent;
    this.maxContentChars = b.captureContent ? b.maxContentChars : 0;
  }

  /** The agent's default limits, without content capture. */
  public static DialectContext defaults() {
    return DEFAULTS;
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Largest single SSE event / NDJSON line parsed; larger ones are skipped. */
  public int maxEventBytes() { return maxEventBytes; }
  /** Bytes of one body fed to parsers at most; the rest passes through unparsed. */
  public long maxParsedBytes() { return maxParsedBytes; }
  /** Characters of strings kept from one JSON document at most. */
  public int maxRetainedChars() { return maxRetainedChars; }
  /** Whether prompts and completions may be kept (opt-in); when false a dialect must not retain any message text. */
  public boolean captureContent() { return captureContent; }
  /** Characters of message text kept per message part at most (longer text is cut and marked); 0 without capture. */
  public int maxContentChars() { return maxContentChars; }

  public static final class Builder {
    private int maxEventBytes = 1 << 20;
    private long maxParsedBytes = 64L << 20;
    private int maxRetainedChars = 64 * 1024;
    private boolean captureContent;
    private int maxContentChars = 8192;

    private Builder() {}

    /** Default 1 MiB. */
    public Builder maxEventBytes(int maxEventBytes) {
      this.maxEventBytes = maxEventBytes;
      return this;
    }

    /** Default 64 MiB. */
    public Builder maxParsedBytes(long maxParsedBytes) {
      this.maxParsedBytes = maxParsedBytes;
      return this;
    }

    /** Default 65,536. */
    public Builder maxRetainedChars(int maxRetainedChars) {
      this.maxRetainedChars = maxRetainedChars;
      return this;
    }

    /** Content capture on, each message part cut at {@code maxContentChars} (the agent's default is 8192). */
    public Builder captureContent(int maxContentChars) {
      this.captureContent = true;
      this.maxContentChars = maxContentChars;
      return this;
    }

    public DialectContext build() {
      return new DialectContext(this);
    }
  }
}
