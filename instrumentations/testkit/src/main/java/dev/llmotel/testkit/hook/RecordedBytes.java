package dev.llmotel.testkit.hook;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;

/**
 * One direction of a body as a hook reported it: the first {@link #KEPT} bytes verbatim, and count, CRC-32 and largest
 * single report over all of them (so an 8 MB body costs the recorder no more than the kept prefix).
 */
public final class RecordedBytes {
  /** Bytes kept verbatim; larger bodies are checked by count and checksum. */
  public static final int KEPT = 1024 * 1024;

  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final CRC32 crc = new CRC32();
  private long count;
  private int reports;
  private int largestReport;

  synchronized void add(byte[] bytes, int offset, int length) {
    crc.update(bytes, offset, length);
    count += length;
    reports++;
    largestReport = Math.max(largestReport, length);
    int keep = (int) Math.min(length, Math.max(0, KEPT - kept.size()));
    if (keep > 0) kept.write(bytes, offset, keep);
  }

  /** The bytes reported so far (at most the first {@link #KEPT}). */
  public synchronized byte[] bytes() {
    return kept.toByteArray();
  }

  /** How many bytes were reported in all. */
  public synchronized long count() {
    return count;
  }

  public synchronized long crc32() {
    return crc.getValue();
  }

  /** How many times the hook reported bytes. */
  public synchronized int reports() {
    return reports;
  }

  /** The most bytes the hook reported in a single call. */
  public synchronized int largestReport() {
    return largestReport;
  }
}
