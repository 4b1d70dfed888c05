package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.exchange.Exchange;
import java.io.IOException;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

/**
 * Passes each read through unchanged and shows the exchange the bytes just read (copied straight from Okio's
 * segments). End of stream ends the exchange, and so does a close once every byte of a body of known length was
 * read (a JSON parser stops at the body's last byte without asking for the end); a close before that marks it
 * abandoned.
 */
final class TeeSource extends ForwardingSource {
  private final Exchange exchange;
  private final ExchangeSink observer;
  private final long contentLength;
  private long bytesRead;
  private boolean done;

  /** @param contentLength the body's length, or -1 when unknown */
  TeeSource(Source delegate, Exchange exchange, long contentLength) {
    super(delegate);
    this.exchange = exchange;
    this.contentLength = contentLength;
    this.observer = new ExchangeSink(exchange, true);
  }

  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    long read;
    try {
      read = super.read(sink, byteCount);
    } catch (Throwable error) {
      if (!done) {
        done = true;
        exchange.failed(error);
      }
      throw error;
    }
    if (read == -1) {
      if (!done) {
        done = true;
        exchange.responseBodyEnd();
      }
    } else if (read > 0 && !done) {
      bytesRead += read;
      try {
        sink.copyTo(observer, sink.size() - read, read);
      } catch (Throwable ignored) {
        // observing never breaks the read
      }
    }
    return read;
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      if (contentLength >= 0 && bytesRead >= contentLength) exchange.responseBodyEnd();
      else exchange.responseBodyClosed();
    }
    super.close();
  }
}
