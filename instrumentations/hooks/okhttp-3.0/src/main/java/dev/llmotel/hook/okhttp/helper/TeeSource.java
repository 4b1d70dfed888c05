package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.exchange.Exchange;
import java.io.IOException;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

/**
 * Passes each read through unchanged and shows the exchange the bytes just read (copied straight from Okio's
 * segments). End of stream ends the exchange; a close before the end marks it abandoned.
 */
final class TeeSource extends ForwardingSource {
  private final Exchange exchange;
  private final ExchangeSink observer;
  private boolean done;

  TeeSource(Source delegate, Exchange exchange) {
    super(delegate);
    this.exchange = exchange;
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
      exchange.responseBodyClosed();
    }
    super.close();
  }
}
