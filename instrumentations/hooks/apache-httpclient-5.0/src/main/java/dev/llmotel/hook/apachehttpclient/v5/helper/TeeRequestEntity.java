package dev.llmotel.hook.apachehttpclient.v5.helper;

import dev.llmotel.exchange.Exchange;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * A classic request entity as the application built it, written unchanged; the exchange sees the bytes as they are
 * written. A repeatable entity written again (a retry) is seen once: only bytes beyond those already reported are
 * shown.
 */
final class TeeRequestEntity extends HttpEntityWrapper {
  private final Exchange exchange;
  private long reported;
  private boolean ended;

  TeeRequestEntity(HttpEntity delegate, Exchange exchange) {
    super(delegate);
    this.exchange = exchange;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    super.writeTo(new FilterOutputStream(out) {
      private long written;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        long seen = Math.min(length, Math.max(0, reported - written));
        try {
          if (seen < length) exchange.requestBody(bytes, offset + (int) seen, length - (int) seen);
        } catch (Throwable ignored) {
          // observing never breaks the upload
        }
        written += length;
        reported = Math.max(reported, written);
      }
    });
    if (!ended) {
      ended = true;
      exchange.requestBodyEnd();
    }
  }
}
