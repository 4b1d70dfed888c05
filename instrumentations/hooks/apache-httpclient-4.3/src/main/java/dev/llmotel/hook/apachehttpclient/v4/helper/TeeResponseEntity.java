package dev.llmotel.hook.apachehttpclient.v4.helper;

import dev.llmotel.exchange.ResponseTap;
import dev.llmotel.exchange.TeeInputStream;
import dev.llmotel.exchange.TeeOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.http.HttpEntity;
import org.apache.http.entity.HttpEntityWrapper;

/**
 * The response entity the application reads: its content stream passes every read through unchanged (no read-ahead:
 * only what the application asks for is read) and shows the bytes to the exchange.
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
}
