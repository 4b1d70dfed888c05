package dev.llmotel.exchange;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The stream a client's own {@code writeTo(out)} writes a response body into, in front of the application's
 * {@code out}: each write goes on unchanged, and what was written is then shown to the tap. It notes whether a failure
 * came from the application's stream (its reader went away: the exchange is abandoned) or from reading the body (the
 * exchange failed); see {@link #writeThrough}.
 */
public final class TeeOutputStream extends OutputStream {
  private final OutputStream out;
  private final TeeInputStream.Sink tap;
  private boolean outFailed;

  private TeeOutputStream(OutputStream out, TeeInputStream.Sink tap) {
    this.out = out;
    this.tap = tap;
  }

  /** A client entity's own {@code writeTo}. */
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Has the client's entity write as it would (its own release of the connection, or abort on a failure, its own
   * exceptions) into a stream that shows the tap what it writes: a whole write ends the exchange, an application
   * stream that fails leaves it abandoned, a body that fails to read fails it. {@code null} is passed on as is (the
   * client's "discard"), the exchange then closed.
   */
  public static void writeThrough(Writer entity, OutputStream out, TeeInputStream.Sink tap) throws IOException {
    if (out == null) {
      try {
        entity.writeTo(null);
      } finally {
        tap.closed();
      }
      return;
    }
    TeeOutputStream tee = new TeeOutputStream(out, tap);
    try {
      entity.writeTo(tee);
    } catch (Throwable error) {
      if (tee.outFailed) tap.closed();
      else tap.failed(error);
      throw error;
    }
    tap.endOfStream();
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
