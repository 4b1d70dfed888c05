package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.exchange.Exchange;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.Okio;

/** The application's response body, read through a {@link TeeSource}. */
final class TeeResponseBody extends ResponseBody {
  private final ResponseBody delegate;
  private final Exchange exchange;
  private BufferedSource source;

  TeeResponseBody(ResponseBody delegate, Exchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public synchronized BufferedSource source() {
    if (source == null) source = Okio.buffer(new TeeSource(delegate.source(), exchange, delegate.contentLength()));
    return source;
  }
}
