package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.exchange.TeeInputStream;
import java.io.InputStream;

/**
 * The response body stream the application reads (from {@code getInputStream()} or {@code getErrorStream()}): every
 * call goes to the connection's own stream, and the bytes it returned are shown to the exchange as the application
 * gets them. No read-ahead; {@code available()}, {@code mark} and {@code reset} behave as the connection's stream
 * does (bytes read again after a {@code reset()} are not shown twice). End of stream ends the exchange; {@code
 * close()} before it ends it as abandoned (complete when every byte of a body of known length was read); a read that
 * throws fails it. What each of these means is the {@link ObservedConnection}'s (it also ends the exchange once every
 * byte of a body of known length was read, and fails it on an end of stream before that).
 *
 * <p>Holds the connection: while the application holds this stream, the connection object cannot be collected (which
 * would end the exchange as abandoned).
 */
final class TeeResponseStream extends TeeInputStream {
  @SuppressWarnings("unused") // held, never read: keeps the connection reachable, see the class comment
  private final Object connection;

  TeeResponseStream(InputStream in, ObservedConnection observed, Object connection) {
    super(in, new ToConnection(observed), true);
    this.connection = connection;
  }

  /** The stream's reports, as the connection's response events. */
  private static final class ToConnection implements TeeInputStream.Sink {
    private final ObservedConnection observed;

    ToConnection(ObservedConnection observed) {
      this.observed = observed;
    }

    @Override
    public void bytes(byte[] b, int off, int len) {
      observed.responseBytes(b, off, len);
    }

    @Override
    public void endOfStream() {
      observed.responseEnd();
    }

    @Override
    public void failed(Throwable error) {
      observed.failed(error);
    }

    @Override
    public void closed() {
      observed.released();
    }
  }
}
