package dev.llmotel.hook.apachehttpclient.v5.helper;

import dev.llmotel.exchange.ResponseTap;
import dev.llmotel.exchange.TeeInputStream;
import dev.llmotel.exchange.TeeOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The classic response entity the application reads: every content stream it hands out passes each read through
 * unchanged (no read-ahead: only what the application asks for is read) and shows the bytes to the exchange. Closing
 * the entity ({@code CloseableHttpResponse.close()} does) before the end marks the exchange abandoned, before the
 * client drains or drops the rest.
 */
final class TeeResponseEntity extends HttpEntityWrapper {
  private final ResponseTap tap;
  private InputStream raw;
  private InputStream tee;

  TeeResponseEntity(HttpEntity delegate, ResponseTap tap) {
    super(delegate);
    this.tap = tap;
  }

  @Override
  public InputStream getContent() throws IOException {
    InputStream in = super.getContent();
    if (in == null) return null;
    synchronized (this) {
      if (in != raw) {
        raw = in;
        tee = new TeeInputStream(in, tap, false);
      }
      return tee;
    }
  }

  /**
   * The wrapped entity writes as it would (its own release of the connection, or abort on a failure, its own
   * exceptions), into a stream that shows the exchange what it writes: an application stream that fails ends the
   * exchange as abandoned, a body that fails to read fails it. {@code writeTo(null)} is the client's own case too.
   */
  @Override
  public void writeTo(OutputStream out) throws IOException {
    if (out == null) {
      try {
        super.writeTo(null);
      } finally {
        tap.closed();
      }
      return;
    }
    TeeOutputStream tee = new TeeOutputStream(out, tap);
    try {
      super.writeTo(tee);
    } catch (Throwable error) {
      if (tee.outFailed()) tap.closed();
      else tap.failed(error);
      throw error;
    }
    tap.endOfStream();
  }

  @Override
  public void close() throws IOException {
    try {
      tap.closed();
    } finally {
      super.close();
    }
  }
}
