package dev.llmotel.wire;

/**
 * Sits in front of Jackson's non-blocking parser and hands it a repaired copy of the document, so that bytes no
 * parser should have to hold or reject do not cost the rest of the document:
 * <ul>
 *   <li>it cuts the middle out of very long JSON strings, so that the parser (which gathers a whole string before
 *   returning it) never buffers more than {@code maxStringBytes} of one string. Cuts fall on character boundaries,
 *   never inside an escape, so the parser still sees valid JSON. For each cut string it remembers the string's
 *   ordinal (counting field names and values from 1) and how many characters were dropped (approximately: an escape
 *   counts per byte);</li>
 *   <li>inside strings it replaces each invalid UTF-8 sequence (a stray continuation byte, an overlong form, an
 *   encoded surrogate, a byte that never occurs in UTF-8, a sequence cut short) by U+FFFD, one per maximal invalid
 *   subpart as Unicode recommends, so that the parser reads on instead of stopping at the first bad byte;</li>
 *   <li>it passes containers nested up to {@code maxDepth} levels; a container deeper than that reaches the parser
 *   empty (its opening and closing bracket only), its content skipped here with a counter, not recursion, so neither
 *   the parser's nesting limit nor its per-level state is reached, and the fields after it are still read;</li>
 *   <li>outside strings it never ends a piece it hands over with a comma or a colon: Jackson's non-blocking parser
 *   (2.22) takes {@code {"a":1,} or {@code {"a":} then {@code }} in the next piece as a complete object, though it
 *   rejects the same bytes in one piece, so the tree would depend on where the body was cut. Such a separator is held
 *   back (the white space after it dropped) and handed over with the first byte after it; {@link #flush} hands it over
 *   where the input ends or is cut. A number followed by a byte that cannot continue or end it (a second decimal point,
 *   a letter, a quote...; JSON's number grammar), which the parser misreads when a piece ends inside the number
 *   ({@code 1.} then {@code 5.5}, or {@code 2.99} then {@code 9D}, read as no number), is ended there: the parser gets
 *   a space and a point in one piece, rejects the point as it would have rejected the byte, and nothing after it.</li>
 * </ul>
 * Only the bytes handed to the {@link Output} differ from the input: the input array is never written to. What it
 * keeps between calls is bounded (at most three bytes of a UTF-8 sequence cut by the end of a piece, or one separator).
 */
final class JsonStringClipper implements JsonTreeBuilder.DroppedChars {
  /** Receives the bytes the parser should see, in order. */
  interface Output {
    void write(byte[] bytes, int start, int end);
  }

  /** U+FFFD REPLACEMENT CHARACTER in UTF-8. */
  private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
  /** What a malformed number is ended with: a space (the number ends), then a byte no JSON value begins with. */
  private static final byte[] MALFORMED = {' ', '.'};

  private final int maxStringBytes;
  private final int maxDepth;
  private boolean inString;
  private boolean escaped;
  private int hexLeft;
  private long stringBytes;
  /** While dropping: continuation bytes still expected by the last lead byte dropped. */
  private int dropContinues;
  private boolean dropping;
  private long droppedChars;
  private long ordinal;
  /** Pairs (ordinal, dropped chars) of cut strings not yet claimed by the tree builder. */
  private long[] cuts = new long[8];
  private int cutsHead;
  private int cutsTail;
  /** Continuation bytes the current UTF-8 sequence still needs, and the range the next one must fall in. */
  private int need;
  private int low = 0x80;
  private int high = 0xBF;
  /** Where the current sequence began in the piece being fed (when it began in this piece). */
  private int sequenceStart;
  /** The start of a sequence cut by the end of the previous piece, held back until it is known to be valid. */
  private final byte[] pending = new byte[4];
  private int pendingLength;
  /** Containers open outside the skipped ones; levels open inside the container being skipped (0: none). */
  private int depth;
  private int skipLevel;
  private boolean skipInString;
  private boolean skipEscaped;
  private boolean repaired;
  /** Outside strings, where in a number the last byte was (JSON's number grammar), or {@link #NOT_IN_NUMBER}. */
  private int number = NOT_IN_NUMBER;
  /** The document was malformed in a way the parser misreads across pieces: nothing more is handed over. */
  private boolean ended;
  /** A comma or colon that ended the last piece outside a string, not handed over yet; 0 when none. */
  private byte held;

  JsonStringClipper(int maxStringBytes) {
    this(maxStringBytes, Integer.MAX_VALUE);
  }

  JsonStringClipper(int maxStringBytes, int maxDepth) {
    this.maxStringBytes = Math.max(8, maxStringBytes);
    this.maxDepth = Math.max(1, maxDepth);
  }

  /** True once an invalid UTF-8 sequence was replaced or a container too deep was emptied. */
  boolean repaired() {
    return repaired;
  }

  void feed(byte[] b, int offset, int length, Output out) {
    if (ended) return;
    int end = offset + length;
    HeldFirst withHeld = null;
    if (held != 0) {
      while (offset < end && isWhiteSpace(b[offset])) offset++; // after a separator: not significant
      if (offset == end) return;
      byte first = b[offset];
      if (first == ',' || first == ':') {
        // two separators in a row: malformed wherever the piece ends; in one piece the parser rejects the second
        out.write(new byte[] {held, first}, 0, 2);
        offset++;
      } else {
        out = withHeld = new HeldFirst(out, held); // in one piece with the next byte
      }
      held = 0;
    }
    int emitFrom = offset;
    int i = offset;
    while (i < end) {
      byte c = b[i];
      if (skipLevel > 0) {
        if (skipInString) {
          if (skipEscaped) {
            skipEscaped = false;
          } else if (c == '\\') {
            skipEscaped = true;
          } else if (c == '"') {
            skipInString = false;
          }
        } else if (c == '"') {
          skipInString = true;
        } else if (c == '[' || c == '{') {
          skipLevel++;
        } else if ((c == ']' || c == '}') && --skipLevel == 0) {
          emitFrom = i;
          continue; // the closing bracket goes to the parser, examined again outside the skipped container
        }
        i++;
        continue;
      }
      if (!inString) {
        if (number != NOT_IN_NUMBER) {
          int next = nextNumberState(number, c);
          if (next >= 0) {
            number = next;
            i++;
            continue;
          }
          if (next == MALFORMED_NUMBER) {
            // the parser would stop here, but reads a number cut by a piece's end and then such a byte differently
            // (1.5 then .5 or D read as no number): the number ends, then it is handed a byte it rejects, in one
            // piece with the space before it; nothing after it is handed over
            if (i > emitFrom) out.write(b, emitFrom, i);
            out.write(MALFORMED, 0, MALFORMED.length);
            emitFrom = i;
            end = i;
            ended = true;
            break;
          }
          number = NOT_IN_NUMBER; // ended by white space, a comma or a closing bracket, examined as any other byte
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          number = c == '-' ? SIGN : c == '0' ? ZERO : INT;
          i++;
          continue;
        }
        if (c == '"') {
          inString = true;
          stringBytes = 0;
          ordinal++;
        } else if (c == '[' || c == '{') {
          if (++depth > maxDepth) {
            out.write(b, emitFrom, i + 1);
            emitFrom = i + 1;
            skipLevel = 1;
            repaired = true;
          }
        } else if ((c == ']' || c == '}') && depth > 0) {
          depth--;
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
        // a byte continuing the character begun before it is not a character of its own; a stray one is (a U+FFFD)
        if ((c & 0xC0) == 0x80 && dropContinues > 0) {
          dropContinues--;
        } else {
          droppedChars++;
          int u = c & 0xFF;
          dropContinues = u >= 0xF0 ? 3 : u >= 0xE0 ? 2 : u >= 0xC0 ? 1 : 0;
        }
        i++;
        continue;
      }
      int u = c & 0xFF;
      if (need > 0) {
        if (u >= low && u <= high) {
          need--;
          low = 0x80;
          high = 0xBF;
          stringBytes++;
          if (need == 0 && pendingLength > 0) {
            // the sequence begun in the previous piece is complete: nothing of this piece was written yet
            out.write(pending, 0, pendingLength);
            pendingLength = 0;
          }
          i++;
          continue;
        }
        // the sequence stops short: it becomes one U+FFFD, and this byte is examined again on its own
        if (pendingLength > 0) {
          pendingLength = 0; // this piece's bytes before i continued that sequence: dropped with it
        } else if (sequenceStart > emitFrom) {
          out.write(b, emitFrom, sequenceStart);
        }
        replace(out);
        emitFrom = i;
        need = 0;
        low = 0x80;
        high = 0xBF;
        continue;
      }
      if (stringBytes >= maxStringBytes && !escaped && hexLeft == 0 && c != '"') {
        if (i > emitFrom) out.write(b, emitFrom, i);
        dropping = true;
        droppedChars = 0;
        dropContinues = 0;
        continue; // this byte is examined again in dropping mode
      }
      if (u >= 0x80) {
        if (escaped) escaped = false; // an invalid escape: the parser reports it
        if (hexLeft > 0) hexLeft--;
        if (u >= 0xC2 && u <= 0xDF) {
          need = 1;
        } else if (u >= 0xE0 && u <= 0xEF) {
          need = 2;
          if (u == 0xE0) low = 0xA0; // shorter forms are overlong
          if (u == 0xED) high = 0x9F; // above are the surrogates
        } else if (u >= 0xF0 && u <= 0xF4) {
          need = 3;
          if (u == 0xF0) low = 0x90;
          if (u == 0xF4) high = 0x8F; // above is past U+10FFFF
        } else { // a continuation byte on its own, C0, C1, F5..FF
          if (i > emitFrom) out.write(b, emitFrom, i);
          replace(out);
          emitFrom = i + 1;
          i++;
          continue;
        }
        sequenceStart = i;
        stringBytes++;
        i++;
        continue;
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
    if (dropping || skipLevel > 0) {
      // (what was held went out with the string's or the container's first bytes)
      if (withHeld != null) withHeld.writeRest();
      return;
    }
    if (need > 0) { // hold back the sequence cut by the end of the piece
      int from = pendingLength > 0 ? offset : sequenceStart;
      if (from > emitFrom) out.write(b, emitFrom, from);
      System.arraycopy(b, from, pending, pendingLength, end - from);
      pendingLength += end - from;
    } else if (end > emitFrom) {
      if (inString) out.write(b, emitFrom, end);
      else holdTail(b, emitFrom, end, out);
    }
    if (withHeld != null) withHeld.writeRest();
  }

  /**
   * Writes {@code b[from, end)} (the piece's last bytes, outside a string) but for a comma or colon it ends in (and the
   * white space after it), which is kept in {@link #held}. (After a held separator the next byte is never one: see
   * feed; so whatever was held before has been written by then.)
   */
  private void holdTail(byte[] b, int from, int end, Output out) {
    int last = end - 1;
    while (last >= from && isWhiteSpace(b[last])) last--;
    if (last >= from && (b[last] == ',' || b[last] == ':')) {
      if (last > from) out.write(b, from, last);
      held = b[last];
    } else {
      out.write(b, from, end);
    }
  }

  /** Where the input ends or is cut at a limit: hands over the separator held back, if any. */
  void flush(Output out) {
    if (held == 0) return;
    out.write(new byte[] {held}, 0, 1);
    held = 0;
  }

  private static final byte[] EMPTY = new byte[0];

  /** Hands the held separator over in one piece with the first byte written after it. */
  private static final class HeldFirst implements Output {
    private final Output out;
    private final byte separator;
    private boolean written;

    HeldFirst(Output out, byte separator) {
      this.out = out;
      this.separator = separator;
    }

    @Override
    public void write(byte[] bytes, int start, int end) {
      if (written) {
        out.write(bytes, start, end);
        return;
      }
      written = true;
      if (end == start) {
        out.write(new byte[] {separator}, 0, 1);
        return;
      }
      out.write(new byte[] {separator, bytes[start]}, 0, 2);
      if (end > start + 1) out.write(bytes, start + 1, end);
    }

    /** The separator alone, if nothing was written after it (not expected: the next byte is always written). */
    void writeRest() {
      if (!written) write(EMPTY, 0, 0);
    }
  }

  static final int NOT_IN_NUMBER = -1;
  static final int MALFORMED_NUMBER = -2;
  private static final int SIGN = 0;
  private static final int ZERO = 1;
  private static final int INT = 2;
  private static final int DOT = 3;
  private static final int FRACTION = 4;
  private static final int EXP = 5;
  private static final int EXP_SIGN = 6;
  private static final int EXP_DIGITS = 7;

  /**
   * The number's state after {@code c}; {@link #NOT_IN_NUMBER} where {@code c} validly ends it (white space, a comma,
   * a closing bracket after a complete number), {@link #MALFORMED_NUMBER} for any other byte.
   */
  static int nextNumberState(int state, byte c) {
    boolean digit = c >= '0' && c <= '9';
    switch (state) {
      case SIGN:
        return c == '0' ? ZERO : digit ? INT : MALFORMED_NUMBER;
      case ZERO:
        if (c == '.') return DOT;
        if (c == 'e' || c == 'E') return EXP;
        return digit ? MALFORMED_NUMBER : ends(c);
      case INT:
        if (digit) return INT;
        if (c == '.') return DOT;
        if (c == 'e' || c == 'E') return EXP;
        return ends(c);
      case DOT:
        return digit ? FRACTION : MALFORMED_NUMBER;
      case FRACTION:
        if (digit) return FRACTION;
        if (c == 'e' || c == 'E') return EXP;
        return ends(c);
      case EXP:
        return c == '+' || c == '-' ? EXP_SIGN : digit ? EXP_DIGITS : MALFORMED_NUMBER;
      case EXP_SIGN:
        return digit ? EXP_DIGITS : MALFORMED_NUMBER;
      default: // EXP_DIGITS
        return digit ? EXP_DIGITS : ends(c);
    }
  }

  private static int ends(byte c) {
    return isWhiteSpace(c) || c == ',' || c == ']' || c == '}' ? NOT_IN_NUMBER : MALFORMED_NUMBER;
  }

  private static boolean isWhiteSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private void replace(Output out) {
    out.write(REPLACEMENT, 0, REPLACEMENT.length);
    stringBytes += REPLACEMENT.length;
    repaired = true;
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
