package dev.llmotel.dialect.livekittwirp;

import java.nio.charset.StandardCharsets;

/**
 * Finds one top-level string field in a (possibly cut) protobuf message by walking its tags: varints, fixed 32/64-bit
 * and length-delimited fields are skipped by their lengths, nothing is decoded but the wanted string. Any malformed or
 * truncated input just yields null.
 */
final class ProtoStrings {
  private ProtoStrings() {}

  static String find(byte[] message, int length, int fieldNumber, int maxChars) {
    int[] at = {0};
    while (at[0] < length) {
      long tag = varint(message, length, at);
      if (tag < 0) return null;
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      switch (wireType) {
        case 0:
          if (varint(message, length, at) < 0) return null;
          break;
        case 1:
          at[0] += 8;
          break;
        case 5:
          at[0] += 4;
          break;
        case 2: {
          long n = varint(message, length, at);
          if (n < 0 || n > length - at[0]) return null;
          if (field == fieldNumber) {
            String s = new String(message, at[0], (int) n, StandardCharsets.UTF_8);
            return s.length() > maxChars ? s.substring(0, maxChars) : s;
          }
          at[0] += (int) n;
          break;
        }
        default:
          return null; // groups (deprecated) or garbage
      }
    }
    return null;
  }

  /** The varint at {@code at[0]} (advanced past it), or -1 when cut or longer than ten bytes. */
  private static long varint(byte[] b, int length, int[] at) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= length) return -1;
      byte x = b[at[0]++];
      value |= (long) (x & 0x7F) << shift;
      if (x >= 0) return value;
    }
    return -1;
  }
}
