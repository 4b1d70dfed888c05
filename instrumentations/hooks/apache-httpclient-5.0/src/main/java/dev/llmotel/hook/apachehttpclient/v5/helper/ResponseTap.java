package dev.llmotel.hook.apachehttpclient.v5.helper;

import dev.llmotel.exchange.Exchange;

/**
 * The response side of one classic exchange, shared by the teed content streams and the entity's {@code close()}:
 * whichever comes first ends the exchange, once. End of stream ends it; so does a close once every byte of a body of
 * known length was read; a close before that marks it abandoned; a read failure fails it.
 */
final class ResponseTap {
  private final Exchange exchange;
  private final long contentLength;
  private long bytesRead;
  private boolean done;

  ResponseTap(Exchange exchange, long contentLength) {
    this.exchange = exchange;
    this.contentLength = contentLength;
  }

  synchronized void bytes(byte[] b, int off, int len) {
    if (done || len <= 0) return;
    bytesRead += len;
    try {
      exchange.responseBody(b, off, len);
    } catch (Throwable ignored) {
      // observing never breaks the read
    }
  }

  synchronized void endOfStream() {
    if (done) return;
    done = true;
    exchange.responseBodyEnd();
  }

  synchronized void failed(Throwable error) {
    if (done) return;
    done = true;
    exchange.failed(error);
  }

  synchronized void closed() {
    if (done) return;
    done = true;
    if (contentLength >= 0 && bytesRead >= contentLength) exchange.responseBodyEnd();
    else exchange.responseBodyClosed();
  }
}
