package dev.llmotel.exchange;

import java.io.IOException;
import java.io.InputStream;

/**
 * A response body stream a hook hands the application in place of the client's own: every call goes to the client's
 * stream, and the bytes it returned are shown to a {@link Sink} as the application gets them. No read-ahead: only what
 * the application asks for is read; {@code skip} reads (in small pieces) so the sink sees skipped bytes too. End of
 * stream, a read that throws, and {@code close()} (before the client's stream is closed) are reported to the sink; what
 * they mean for the exchange is the sink's business ({@link ResponseTap} is the usual one).
 *
 * <p>{@code markable}: {@code mark}, {@code reset} and {@code markSupported} behave as the client's stream does, and
 * bytes read again after a {@code reset()} are not shown twice; otherwise mark/reset are not supported, as for a plain
 * {@link InputStream}.
 */
public class TeeInputStream extends InputStream {
  /** What a {@link TeeInputStream} reports, on the reading thread. */
  public interface Sink {
    /** Bytes the application got (never again after a reset). */
    void bytes(byte[] b, int off, int len);

    /** A read returned end of stream. */
    void endOfStream();

    /** A read threw this (the application gets it too). */
    void failed(Throwable error);

    /** The application closed the stream (reported before the client's stream is closed). */
    void closed();
  }

  private final InputStream in;
  private final Sink sink;
  private final boolean markable;
  /** Position relative to the last {@code mark} (-1: no mark), and how far beyond the mark bytes were shown. */
  private long sinceMark = -1;
  private long shownBeyondMark;

  public TeeInputStream(InputStream in, Sink sink, boolean markable) {
    this.in = in;
    this.sink = sink;
    this.markable = markable;
  }

  /** Whether this stream tees exactly that client stream. */
  public final boolean wraps(InputStream raw) {
    return in == raw;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = in.read();
    } catch (IOException | RuntimeException | Error e) {
      sink.failed(e);
      throw e;
    }
    if (b < 0) sink.endOfStream();
    else seen(new byte[] {(byte) b}, 0, 1);
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException | RuntimeException | Error e) {
      sink.failed(e);
      throw e;
    }
    if (n < 0) sink.endOfStream();
    else seen(b, off, n);
    return n;
  }

  /** Skipped bytes are read (in small pieces) so the sink sees them too. */
  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) return 0;
    byte[] scratch = new byte[(int) Math.min(n, 4096)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (r < 0) break;
      skipped += r;
    }
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return in.available();
  }

  @Override
  public void close() throws IOException {
    sink.closed();
    in.close();
  }

  @Override
  public boolean markSupported() {
    return markable && in.markSupported();
  }

  @Override
  public synchronized void mark(int readLimit) {
    if (!markable) return;
    in.mark(readLimit);
    // the new mark is sinceMark bytes past the old one: what was shown beyond the old mark past that point was shown
    // beyond the new one too (a mark right after a reset re-marks the old position, every byte after it shown)
    shownBeyondMark = sinceMark >= 0 ? Math.max(0, shownBeyondMark - sinceMark) : 0;
    sinceMark = 0;
  }

  @Override
  public synchronized void reset() throws IOException {
    if (!markable) throw new IOException("mark/reset not supported");
    in.reset();
    if (sinceMark >= 0) sinceMark = 0;
  }

  /** Shows the bytes the application got, except those it reads again after a reset. */
  private void seen(byte[] b, int off, int n) {
    if (n <= 0) return;
    if (!markable) {
      sink.bytes(b, off, n);
      return;
    }
    synchronized (this) {
      if (sinceMark < 0) {
        sink.bytes(b, off, n);
        return;
      }
      long start = sinceMark;
      sinceMark += n;
      int again = (int) Math.max(0, Math.min(n, shownBeyondMark - start));
      if (sinceMark > shownBeyondMark) shownBeyondMark = sinceMark;
      if (again < n) sink.bytes(b, off + again, n - again);
    }
  }
}
