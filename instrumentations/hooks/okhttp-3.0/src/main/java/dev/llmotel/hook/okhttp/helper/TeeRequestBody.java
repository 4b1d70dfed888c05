package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.exchange.Exchange;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;

/** Writes the application's request body unchanged, showing the exchange each byte on the way. Never writes twice. */
final class TeeRequestBody extends RequestBody {
  private final RequestBody delegate;
  private final Exchange exchange;

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
      @Override
      public void write(Buffer source, long byteCount) throws IOException {
        try {
          source.copyTo(observer, 0, byteCount);
        } catch (Throwable ignored) {
          // observing never breaks the upload
        }
        super.write(source, byteCount);
      }
    });
    delegate.writeTo(tee);
    tee.emit();
    exchange.requestBodyEnd();
  }
}
