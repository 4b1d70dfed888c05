package dev.llmotel.wire;

/**
 * Sits in front of Jackson's non-blocking parser and cuts the middle out of very long JSON strings, so that the
 * parser (which gathers a whole string before returning it) never buffers more than {@code maxStringBytes} of one
 * string. Cuts fall on character boundaries, never inside an escape, so the parser still sees valid JSON. For each cut
 * string it remembers the string's ordinal (counting field names and values from 1) and how many characters were
 * dropped (approximately: an escape counts per byte).
 */
final class JsonStringClipper implements JsonTreeBuilder.DroppedChars {
  /** Receives the bytes the parser should see, in order. */
  interface Output {
    void write(byte[] bytes, int start, int end);
  }

  private final int maxStringBytes;
  private boolean inString;
  private boolean escaped;
  private int hexLeft;
  private long stringBytes;
  private boolean dropping;
  private long droppedChars;
  private long ordinal;
  /** Pairs (ordinal, dropped chars) of cut strings not yet claimed by the tree builder. */
  private long[] cuts = new long[8];
  private int cutsHead;
  private int cutsTail;

  JsonStringClipper(int maxStringBytes) {
    this.maxStringBytes = Math.max(8, maxStringBytes);
  }

  void feed(byte[] b, int offset, int length, Output out) {
    int end = offset + length;
    int emitFrom = offset;
    int i = offset;
    while (i < end) {
      byte c = b[i];
      if (!inString) {
        if (c == '"') {
          inString = true;
          stringBytes = 0;
          ordinal++;
        }
        i++;
        continue;
      }
      if (dropping) {
        // skip quickly to the closing quote, counting characters (bytes that do not continue a UTF-8 sequence)
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          dropping = false;
          inString = false;
          recordCut();
          emitFrom = i;
          i++;
          continue;
        }
        if ((c & 0xC0) != 0x80) droppedChars++;
        i++;
        continue;
      }
      if (stringBytes >= maxStringBytes && !escaped && hexLeft == 0 && (c & 0xC0) != 0x80 && c != '"') {
        if (i > emitFrom) out.write(b, emitFrom, i);
        dropping = true;
        droppedChars = 0;
        continue; // this byte is examined again in dropping mode
      }
      stringBytes++;
      if (hexLeft > 0) {
        hexLeft--;
      } else if (escaped) {
        escaped = false;
        if (c == 'u') hexLeft = 4;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      i++;
    }
    if (!dropping && end > emitFrom) out.write(b, emitFrom, end);
  }

  private void recordCut() {
    if (cutsTail + 2 > cuts.length) {
      int live = cutsTail - cutsHead;
      long[] next = live + 2 > cuts.length ? new long[cuts.length * 2] : cuts;
      System.arraycopy(cuts, cutsHead, next, 0, live);
      cuts = next;
      cutsHead = 0;
      cutsTail = live;
    }
    cuts[cutsTail++] = ordinal;
    cuts[cutsTail++] = droppedChars;
  }

  @Override
  public long forString(long stringOrdinal) {
    while (cutsHead < cutsTail && cuts[cutsHead] < stringOrdinal) cutsHead += 2;
    if (cutsHead < cutsTail && cuts[cutsHead] == stringOrdinal) {
      long n = cuts[cutsHead + 1];
      cutsHead += 2;
      return n;
    }
    return 0;
  }
}
