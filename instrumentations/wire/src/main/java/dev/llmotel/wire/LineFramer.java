package dev.llmotel.wire;

/**
 * Splits a pushed byte stream into lines ended by LF, CR or CRLF (a CR ending one feed and an LF starting the next
 * are one line end). A line that lies within one feed is handed over in place, without a copy; only a line that spans
 * feeds is gathered in a carry buffer, which never holds more than {@code maxLineBytes}. Longer lines are reported as
 * overlong with the prefix that was kept.
 */
abstract class LineFramer {
  private final int maxLineBytes;
  private final ByteAccumulator carry;
  /** A line has begun in an earlier feed and is waiting for its end. */
  private boolean partial;
  /** Full length of the partial line, including bytes the carry buffer refused. */
  private long partialLength;
  /** The previous feed ended with CR: an LF at the start of the next one belongs to that line end. */
  private boolean skipLf;

  LineFramer(int maxLineBytes) {
    this.maxLineBytes = Math.max(0, maxLineBytes);
    this.carry = new ByteAccumulator(this.maxLineBytes);
  }

  /**
   * One complete line, without its terminator.
   *
   * @param inPlace true when {@code bytes} is the caller's input, valid until {@link #afterFeed()}; false when it is
   *     the carry buffer, valid only during this call
   */
  abstract void onLine(byte[] bytes, int offset, int length, boolean inPlace);

  /** A line longer than the limit ended; {@code prefix} holds its first bytes (at most the limit). */
  abstract void onOverlongLine(byte[] prefix, int offset, int prefixLength, long fullLength);

  /** Called when a feed has been consumed: in-place lines are no longer valid afterwards. */
  void afterFeed() {}

  final void feedBytes(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    if (skipLf && i < end) {
      if (bytes[i] == '\n') i++;
      skipLf = false;
    }
    int lineStart = i;
    while (i < end) {
      int c = bytes[i];
      // one comparison for almost every byte: only 0..13 can be a line end (bytes >= 0x80 are negative, hence the mask)
      if ((c & 0xF0) != 0 || (c != '\n' && c != '\r')) {
        i++;
        continue;
      }
      if (partial) {
        appendPartial(bytes, lineStart, i - lineStart);
        emitPartial();
      } else if (i - lineStart > maxLineBytes) {
        onOverlongLine(bytes, lineStart, maxLineBytes, i - lineStart);
      } else {
        onLine(bytes, lineStart, i - lineStart, true);
      }
      i++;
      if (c == '\r') {
        if (i < end) {
          if (bytes[i] == '\n') i++;
        } else {
          skipLf = true;
        }
      }
      lineStart = i;
    }
    if (lineStart < end) {
      partial = true;
      appendPartial(bytes, lineStart, end - lineStart);
    }
    afterFeed();
  }

  /** Hands over the unterminated last line, if any, as if it had ended; returns whether there was one. */
  final boolean flushPartialLine() {
    skipLf = false;
    if (!partial) return false;
    emitPartial();
    afterFeed();
    return true;
  }

  private void appendPartial(byte[] bytes, int offset, int count) {
    partialLength += count;
    if (partialLength <= maxLineBytes) {
      carry.append(bytes, offset, count);
    } else if (carry.length() < maxLineBytes) {
      carry.append(bytes, offset, maxLineBytes - carry.length());
    }
  }

  private void emitPartial() {
    long full = partialLength;
    partial = false;
    partialLength = 0;
    int kept = carry.length();
    carry.clear();
    if (full > maxLineBytes) onOverlongLine(carry.array(), 0, kept, full);
    else onLine(carry.array(), 0, kept, false);
  }
}
