package dev.llmotel.exchange;

/**
 * The response side of one exchange for a blocking client's body stream, shared by the {@link TeeInputStream} and
 * whatever else the application may close (the response, the entity): whichever comes first ends the exchange, once.
 * End of stream ends it; so does a close once every byte of a body of known length was read; a close before that marks
 * it abandoned; a read failure fails it.
 */
public final class ResponseTap implements TeeInputStream.Sink {
  private final Exchange exchange;
  private final long contentLength;
  private long bytesRead;
  private boolean done;

  /** @param contentLength the body's announced length, or -1 when unknown */
  public ResponseTap(Exchange exchange, long contentLength) {
    this.exchange = exchange;
    this.contentLength = contentLength;
  }

  @Override
  public synchronized void bytes(byte[] b, int off, int len) {
    if (done || len <= 0) return;
    bytesRead += len;
    try {
      exchange.responseBody(b, off, len);
    } catch (Throwable ignored) {
      // observing never breaks the read
    }
  }

  @Override
  public synchronized void endOfStream() {
    if (done) return;
    done = true;
    exchange.responseBodyEnd();
  }

  @Override
  public synchronized void failed(Throwable error) {
    if (done) return;
    done = true;
    exchange.failed(error);
  }

  @Override
  public synchronized void closed() {
    if (done) return;
    done = true;
    if (contentLength >= 0 && bytesRead >= contentLength) exchange.responseBodyEnd();
    else exchange.responseBodyClosed();
  }
}
