package dev.llmotel.wire;

/** A growable byte buffer that never grows past a fixed capacity: an append that would overflow is refused. */
final class ByteAccumulator {
  private static final byte[] EMPTY = new byte[0];
  private final int capacity;
  private byte[] bytes = EMPTY;
  private int length;

  ByteAccumulator(int capacity) {
    this.capacity = Math.max(0, capacity);
  }

  /** Appends the bytes, or returns false (leaving the buffer unchanged) when they would exceed the capacity. */
  boolean append(byte[] source, int offset, int count) {
    int needed = length + count;
    if (needed > capacity || needed < 0) return false;
    if (needed > bytes.length) grow(needed);
    System.arraycopy(source, offset, bytes, length, count);
    length = needed;
    return true;
  }

  boolean append(byte b) {
    if (length >= capacity) return false;
    if (length == bytes.length) grow(length + 1);
    bytes[length++] = b;
    return true;
  }

  private void grow(int needed) {
    // the first piece often is the whole document: exactly its size; then doubling
    int size = bytes.length == 0 ? 256 : bytes.length;
    if (bytes.length > 0) size = size > (Integer.MAX_VALUE >> 1) ? Integer.MAX_VALUE : size << 1;
    if (size < needed) size = needed;
    byte[] larger = new byte[Math.min(size, capacity)];
    System.arraycopy(bytes, 0, larger, 0, length);
    bytes = larger;
  }

  byte[] array() { return bytes; }

  int capacity() { return capacity; }

  int length() { return length; }

  void clear() { length = 0; }

  /** Empties the buffer and lets its memory go. */
  void release() {
    bytes = EMPTY;
    length = 0;
  }
}
