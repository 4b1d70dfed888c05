package dev.llmotel.hook.apachehttpclient.v5.helper;

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
        tee = new TeeInputStream(in, tap);
      }
      return tee;
    }
  }

  /** Written through the teed stream (the wrapped entity's own writeTo would read around it). */
  @Override
  public void writeTo(OutputStream out) throws IOException {
    InputStream in = getContent();
    if (in == null) return;
    try {
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) != -1; ) out.write(buffer, 0, n);
    } finally {
      in.close();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      tap.closed();
    } finally {
      super.close();
    }
  }

  static final class TeeInputStream extends InputStream {
    private final InputStream in;
    private final ResponseTap tap;

    TeeInputStream(InputStream in, ResponseTap tap) {
      this.in = in;
      this.tap = tap;
    }

    @Override
    public int read() throws IOException {
      int b;
      try {
        b = in.read();
      } catch (IOException | RuntimeException | Error e) {
        tap.failed(e);
        throw e;
      }
      if (b < 0) tap.endOfStream();
      else tap.bytes(new byte[] {(byte) b}, 0, 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException | RuntimeException | Error e) {
        tap.failed(e);
        throw e;
      }
      if (n < 0) tap.endOfStream();
      else tap.bytes(b, off, n);
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
      tap.closed();
      in.close();
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
