package dev.llmotel.wire;

/** Byte-level look-ups on raw event and line payloads, before (or instead of) parsing them. */
public final class Bytes {
  private Bytes() {}

  /** The bytes of an ASCII string. */
  public static byte[] ascii(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) b[i] = (byte) s.charAt(i);
    return b;
  }

  /** Whether {@code needle} occurs in {@code data[offset, offset + length)}. */
  public static boolean contains(byte[] data, int offset, int length, byte[] needle) {
    int last = offset + length - needle.length;
    byte first = needle[0];
    for (int i = offset; i <= last; i++) {
      if (data[i] != first) continue;
      int k = 1;
      while (k < needle.length && data[i + k] == needle[k]) k++;
      if (k == needle.length) return true;
    }
    return false;
  }

  /** Whether any of {@code needles} occurs in the range. */
  public static boolean containsAny(byte[] data, int offset, int length, byte[][] needles) {
    for (byte[] needle : needles) {
      if (contains(data, offset, length, needle)) return true;
    }
    return false;
  }

  /** Whether the range is exactly {@code token} once ASCII white space and control bytes around it are trimmed. */
  public static boolean isTrimmed(byte[] data, int offset, int length, byte[] token) {
    int start = offset;
    int end = offset + length;
    while (start < end && data[start] <= ' ' && data[start] >= 0) start++;
    while (end > start && data[end - 1] <= ' ' && data[end - 1] >= 0) end--;
    if (end - start != token.length) return false;
    for (int i = 0; i < token.length; i++) if (data[start + i] != token[i]) return false;
    return true;
  }
}
