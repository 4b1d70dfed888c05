package dev.llmotel.exchange;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The stream a client's own {@code writeTo(out)} writes a response body into, in front of the application's
 * {@code out}: each write goes on unchanged, and what was written is then shown to the tap. Whether a failure came
 * from the application's stream (its reader went away: the exchange is abandoned) or from reading the body (the
 * exchange failed) is told by {@link #outFailed()}.
 */
public final class TeeOutputStream extends OutputStream {
  private final OutputStream out;
  private final TeeInputStream.Sink tap;
  private boolean outFailed;

  public TeeOutputStream(OutputStream out, TeeInputStream.Sink tap) {
    this.out = out;
    this.tap = tap;
  }

  /** Whether a write to, a flush or a close of the application's stream threw. */
  public boolean outFailed() {
    return outFailed;
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException | RuntimeException e) {
      outFailed = true;
      throw e;
    }
    tap.bytes(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException | RuntimeException e) {
      outFailed = true;
      throw e;
    }
    tap.bytes(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException | RuntimeException e) {
      outFailed = true;
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
    } catch (IOException | RuntimeException e) {
      outFailed = true;
      throw e;
    }
  }
}
