package dev.llmotel.exchange;

/**
 * The blocks queued body bytes are copied into: each piece is written as its length, its {@link System#nanoTime()}
 * and its bytes, one after the other, so the application's thread allocates nothing per piece (no array of its own,
 * no event); a block goes back to a small pool once its pieces were processed, so in the steady state it allocates
 * nothing for the bytes either. A piece larger than a block gets a block of its own, never pooled. The pool is
 * bounded ({@value #POOLED} blocks of {@value #BLOCK_BYTES} bytes); blocks beyond it are left to the garbage
 * collector, and a block that is never given back (an exchange dropped unprocessed) is simply collected.
 */
final class BodyBlocks {
  /**
   * A chat call's request and answer, or about six stream chunks, with their piece headers. Small, because a waiting
   * exchange weighs its blocks whole in the worker's budget (a larger block would leave the budget to fewer calls).
   */
  static final int BLOCK_BYTES = 2 * 1024;
  /**
   * The calls a 20 ms poll lets pile up at a few hundred µs each (≈ 100–150, a stream four blocks), with room for a
   * worker that a loaded machine runs late: at most 2 MiB kept.
   */
  static final int POOLED = 1024;
  /** Per piece: its length (4 bytes) and its nanoTime (8 bytes). */
  static final int PIECE_HEADER = 12;

  private final byte[][] pool = new byte[POOLED][];
  private int pooled;

  /** A block with room for {@code bytes} bytes: from the pool when a standard block does. */
  byte[] take(int bytes) {
    if (bytes > BLOCK_BYTES) return new byte[bytes];
    synchronized (pool) {
      if (pooled > 0) {
        byte[] block = pool[--pooled];
        pool[pooled] = null;
        return block;
      }
    }
    return new byte[BLOCK_BYTES];
  }

  /** A block whose pieces were all processed (no reference to it may remain outside). */
  void give(byte[] block) {
    if (block.length != BLOCK_BYTES) return;
    synchronized (pool) {
      if (pooled < POOLED) pool[pooled++] = block;
    }
  }

  /** Writes one piece at {@code at}: its header, then {@code length} bytes of {@code source}. */
  static void put(byte[] block, int at, long nanos, byte[] source, int offset, int length) {
    putHeader(block, at, length, nanos);
    System.arraycopy(source, offset, block, at + PIECE_HEADER, length);
  }

  static void putHeader(byte[] block, int at, int length, long nanos) {
    block[at] = (byte) (length >>> 24);
    block[at + 1] = (byte) (length >>> 16);
    block[at + 2] = (byte) (length >>> 8);
    block[at + 3] = (byte) length;
    for (int i = 0; i < 8; i++) block[at + 4 + i] = (byte) (nanos >>> (56 - 8 * i));
  }

  static int length(byte[] block, int at) {
    return (block[at] & 0xff) << 24 | (block[at + 1] & 0xff) << 16 | (block[at + 2] & 0xff) << 8
        | (block[at + 3] & 0xff);
  }

  static long nanos(byte[] block, int at) {
    long n = 0;
    for (int i = 0; i < 8; i++) n = n << 8 | (block[at + 4 + i] & 0xffL);
    return n;
  }
}
