package dev.llmotel.hook.httpurlconnection;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The request body stream the application writes to: every write goes to the connection's own stream first, exactly
 * as given, and only the bytes it accepted are shown to the exchange. Closing it ends the request body. Bytes written
 * one at a time ({@code DataOutputStream.writeBytes}, for one) are shown in small batches, so a body written byte by
 * byte is not one exchange event per byte; the batch is shown before any larger write, on {@code flush()}, on {@code
 * close()} and before the response is reported.
 *
 * <p>Holds the connection: while the application holds this stream, the connection object cannot be collected (which
 * would end the exchange as abandoned).
 */
final class TeeRequestStream extends OutputStream {
  private static final int BATCH = 256;

  private final OutputStream out;
  private final ObservedConnection observed;
  @SuppressWarnings("unused") // held, never read: keeps the connection reachable, see the class comment
  private final Object connection;
  private byte[] pending;
  private int pendingCount;

  TeeRequestStream(OutputStream out, ObservedConnection observed, Object connection) {
    this.out = out;
    this.observed = observed;
    this.connection = connection;
  }

  boolean wraps(OutputStream raw) {
    return out == raw;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    synchronized (this) {
      if (pending == null) pending = new byte[BATCH];
      pending[pendingCount++] = (byte) b;
      if (pendingCount == BATCH) flushPending();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    flushPending();
    observed.requestBytes(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    flushPending();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flushPending();
    out.close();
    observed.requestEnd();
  }

  /** Shows the batched single bytes to the exchange. */
  synchronized void flushPending() {
    if (pendingCount == 0) return;
    int n = pendingCount;
    pendingCount = 0;
    observed.requestBytes(pending, 0, n);
  }
}
