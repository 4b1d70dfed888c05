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

  /** The wrapped entity's own writeTo, the exchange shown what it writes ({@link TeeOutputStream#writeThrough}). */
  @Override
  public void writeTo(OutputStream out) throws IOException {
    TeeOutputStream.writeThrough(super::writeTo, out, tap);
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
