package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.exchange.Exchange;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;

/**
 * Writes the application's request body unchanged, showing the exchange each byte on the way. OkHttp writes a body
 * again when it retries or follows up the call (a stale pooled connection, a 408, an authenticator); the exchange
 * still sees each byte of the body, and its end, once.
 */
final class TeeRequestBody extends RequestBody {
  private final RequestBody delegate;
  private final Exchange exchange;
  /** How many leading bytes of the body the exchange has seen (writes of one call come one after the other). */
  private long reported;
  private boolean ended;

  TeeRequestBody(RequestBody delegate, Exchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() throws IOException {
    return delegate.contentLength();
  }

  // Not annotated @Override: OkHttp 3.x before 3.14 has neither method.
  public boolean isDuplex() {
    return delegate.isDuplex();
  }

  public boolean isOneShot() {
    return delegate.isOneShot();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    ExchangeSink observer = new ExchangeSink(exchange, false);
    BufferedSink tee = Okio.buffer(new ForwardingSink(sink) {
      private long written;

      @Override
      public void write(Buffer source, long byteCount) throws IOException {
        long seen = Math.min(byteCount, Math.max(0, reported - written));
        try {
          if (seen < byteCount) source.copyTo(observer, seen, byteCount - seen);
        } catch (Throwable ignored) {
          // observing never breaks the upload
        }
        written += byteCount;
        reported = Math.max(reported, written);
        super.write(source, byteCount);
      }
    });
    delegate.writeTo(tee);
    tee.emit();
    if (!ended) {
      ended = true;
      exchange.requestBodyEnd();
    }
  }
}
