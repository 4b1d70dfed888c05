package dev.llmotel.hook.vertx.v4.helper;

import dev.llmotel.exchange.Exchange;
import io.netty.buffer.ByteBuf;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * One LLM call on its way through Vert.x: the request bytes as they are written, then the response as it is
 * delivered. Written to from the application's thread (writes) and the event loop (everything else), so every
 * transition holds this object's lock; the exchange ends exactly once: at the body's end, when the application
 * resets the request or closes its connection (abandoned, unless it had received the whole body of a known length),
 * or when the stream fails.
 */
final class CallState {
  /** Bytes copied per report: a large buffer is shown to the exchange in pieces of at most this size. */
  private static final int PIECE = 64 * 1024;

  private final Exchange exchange;
  /** The connection the call runs on (to recognise its closing), or null. */
  private final Object connection;
  private volatile boolean connectionClosing;
  private boolean requestEnded;
  private boolean responded;
  private long contentLength = -1;
  private long delivered;
  private boolean ended;

  CallState(Exchange exchange, Object connection) {
    this.exchange = exchange;
    this.connection = connection;
  }

  Object connection() {
    return connection;
  }

  /** Its connection is being closed: a failure from now on is the application giving the call up. */
  void connectionClosing() {
    connectionClosing = true;
  }

  /** Bytes the application writes (absolute reads: the buffer's indices are left as they are). */
  synchronized void requestBytes(ByteBuf body, boolean end) {
    if (requestEnded || ended) return;
    if (body != null) {
      int from = body.readerIndex();
      int length = body.readableBytes();
      byte[] piece = length > 0 ? new byte[Math.min(length, PIECE)] : null;
      for (int done = 0; done < length; ) {
        int n = Math.min(piece.length, length - done);
        body.getBytes(from + done, piece, 0, n);
        exchange.requestBody(piece, 0, n);
        done += n;
      }
    }
    if (end) endRequest();
  }

  /** Bytes the application writes, as a Vert.x buffer (5.1 on): copied, the buffer is not touched. */
  synchronized void requestBytes(Buffer body, boolean end) {
    if (requestEnded || ended) return;
    if (body != null) {
      int length = body.length();
      byte[] piece = length > 0 ? new byte[Math.min(length, PIECE)] : null;
      for (int done = 0; done < length; ) {
        int n = Math.min(piece.length, length - done);
        body.getBytes(done, done + n, piece, 0);
        exchange.requestBody(piece, 0, n);
        done += n;
      }
    }
    if (end) endRequest();
  }

  private void endRequest() {
    requestEnded = true;
    exchange.requestBodyEnd();
  }

  synchronized void response(HttpClientResponse response) {
    if (responded || ended) return;
    responded = true;
    if (!requestEnded) {
      // the server answered before the application ended its body: what was written is the request
      endRequest();
    }
    final MultiMap headers = response.headers();
    contentLength = contentLength(headers.get("Content-Length"));
    exchange.response(response.statusCode(), headers::get);
  }

  /** A chunk on its way to the application: copied (the application's buffer is not touched). */
  synchronized void chunk(Buffer chunk) {
    if (ended || !responded) return;
    int length = chunk.length();
    if (length == 0) return;
    byte[] piece = new byte[Math.min(length, PIECE)];
    for (int done = 0; done < length; ) {
      int n = Math.min(piece.length, length - done);
      chunk.getBytes(done, done + n, piece, 0);
      exchange.responseBody(piece, 0, n);
      done += n;
    }
    delivered += length;
  }

  /** @return true if this ended the exchange */
  synchronized boolean end() {
    if (ended) return false;
    ended = true;
    if (responded) exchange.responseBodyEnd();
    else exchange.responseWithoutBody();
    return true;
  }

  /** The application reset the request: abandoned, unless it already had the whole body of a known length. */
  synchronized boolean reset() {
    if (ended) return false;
    ended = true;
    closedByApplication();
    return true;
  }

  /**
   * The stream failed: a transport error, or the end of a call whose connection the application closed.
   *
   * @param resetByVertx Vert.x reset the stream itself (a timeout): a failure even though it closes the connection
   */
  synchronized boolean fail(Throwable error, boolean resetByVertx) {
    if (ended) return false;
    ended = true;
    if (connectionClosing && !resetByVertx) closedByApplication();
    else exchange.failed(error);
    return true;
  }

  private void closedByApplication() {
    if (responded && contentLength >= 0 && delivered >= contentLength) exchange.responseBodyEnd();
    else exchange.responseBodyClosed();
  }

  private static long contentLength(String value) {
    if (value == null) return -1;
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
