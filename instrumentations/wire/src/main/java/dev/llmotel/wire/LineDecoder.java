package dev.llmotel.wire;

/**
 * A push-fed decoder for newline-delimited JSON (NDJSON, JSON Lines): one record per line, lines ending in LF, CRLF or
 * CR, blank lines skipped, a last line without terminator delivered at {@link #end()}. Lines longer than
 * {@code maxLineBytes} are skipped and reported; memory stays bounded.
 */
public final class LineDecoder extends LineFramer {
  /** Receives the decoded lines. */
  public interface Listener {
    /** One non-blank line without its terminator; the array is valid only during the call. */
    void onLine(byte[] bytes, int offset, int length);

    /** A line longer than the limit was skipped. */
    default void onOversizedLine(long length) {}
  }

  private final Listener listener;

  public LineDecoder(int maxLineBytes, Listener listener) {
    super(maxLineBytes);
    this.listener = listener;
  }

  public void feed(byte[] bytes, int offset, int length) {
    feedBytes(bytes, offset, length);
  }

  /** The stream ended: a last line without terminator is delivered now. */
  public void end() {
    flushPartialLine();
  }

  @Override
  void onLine(byte[] bytes, int offset, int length, boolean inPlace) {
    for (int i = offset, end = offset + length; i < end; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t') {
        listener.onLine(bytes, offset, length);
        return;
      }
    }
  }

  @Override
  void onOverlongLine(byte[] prefix, int offset, int prefixLength, long fullLength) {
    listener.onOversizedLine(fullLength);
  }
}
