package dev.llmotel.hook.httpurlconnection;

import java.io.IOException;
import java.io.InputStream;

/**
 * The response body stream the application reads (from {@code getInputStream()} or {@code getErrorStream()}): every
 * call goes to the connection's own stream, and the bytes it returned are shown to the exchange as the application
 * gets them. No read-ahead; {@code available()}, {@code mark} and {@code reset} behave as the connection's stream
 * does (bytes read again after a {@code reset()} are not shown twice). End of stream ends the exchange; {@code
 * close()} before it ends it as abandoned (complete when every byte of a body of known length was read); a read that
 * throws fails it.
 *
 * <p>Holds the connection: while the application holds this stream, the connection object cannot be collected (which
 * would end the exchange as abandoned).
 */
final class TeeResponseStream extends InputStream {
  private final InputStream in;
  private final ObservedConnection observed;
  @SuppressWarnings("unused") // held, never read: keeps the connection reachable, see the class comment
  private final Object connection;
  /** Position relative to the last {@code mark} (-1: no mark), and how far beyond the mark bytes were shown. */
  private long sinceMark = -1;
  private long shownBeyondMark;

  TeeResponseStream(InputStream in, ObservedConnection observed, Object connection) {
    this.in = in;
    this.observed = observed;
    this.connection = connection;
  }

  boolean wraps(InputStream raw) {
    return in == raw;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = in.read();
    } catch (IOException | RuntimeException | Error e) {
      observed.failed(e);
      throw e;
    }
    if (b < 0) observed.responseEnd();
    else seen(new byte[] {(byte) b}, 0, 1);
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException | RuntimeException | Error e) {
      observed.failed(e);
      throw e;
    }
    if (n < 0) observed.responseEnd();
    else seen(b, off, n);
    return n;
  }

  /** Skipped bytes are read (in small pieces) so the exchange sees them too. */
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
    observed.released();
    in.close();
  }

  @Override
  public boolean markSupported() {
    return in.markSupported();
  }

  @Override
  public synchronized void mark(int readLimit) {
    in.mark(readLimit);
    sinceMark = 0;
    shownBeyondMark = 0;
  }

  @Override
  public synchronized void reset() throws IOException {
    in.reset();
    if (sinceMark >= 0) sinceMark = 0;
  }

  /** Shows the bytes the application got, except those it reads again after a reset. */
  private synchronized void seen(byte[] b, int off, int n) {
    if (n <= 0) return;
    if (sinceMark < 0) {
      observed.responseBytes(b, off, n);
      return;
    }
    long start = sinceMark;
    sinceMark += n;
    int again = (int) Math.max(0, Math.min(n, shownBeyondMark - start));
    if (sinceMark > shownBeyondMark) shownBeyondMark = sinceMark;
    if (again < n) observed.responseBytes(b, off + again, n - again);
  }
}
