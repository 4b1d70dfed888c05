package dev.llmotel.hook.javahttpclient;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.HeaderLookup;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call's exchange as this hook reports to it. Every call is guarded (nothing reaches the application), and
 * exactly one terminal event is sent, although the body subscriber (on the client's threads), the application's
 * cancel (on its own thread) and the response future may each try to end the exchange.
 */
final class GuardedExchange {
  private final Exchange exchange;
  private final AtomicBoolean ended = new AtomicBoolean();

  GuardedExchange(Exchange exchange) {
    this.exchange = exchange;
  }

  Map<String, String> propagationHeaders() {
    try {
      Map<String, String> headers = exchange.propagationHeaders();
      return headers == null ? Collections.<String, String>emptyMap() : headers;
    } catch (Throwable t) {
      return Collections.emptyMap();
    }
  }

  /** Request body bytes; the buffer's position and limit are left untouched. */
  void requestBody(ByteBuffer buffer) {
    try {
      if (buffer.hasArray()) {
        exchange.requestBody(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        return;
      }
      ByteBuffer view = buffer.duplicate();
      byte[] chunk = new byte[Math.min(view.remaining(), 16 * 1024)];
      while (view.hasRemaining()) {
        int n = Math.min(chunk.length, view.remaining());
        view.get(chunk, 0, n);
        exchange.requestBody(chunk, 0, n);
      }
    } catch (Throwable ignored) {
      // observing never breaks the call
    }
  }

  void requestBodyEnd() {
    try {
      exchange.requestBodyEnd();
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  void response(int statusCode, HeaderLookup headers) {
    if (ended.get()) return;
    try {
      exchange.response(statusCode, headers);
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  /** Response body bytes; the buffer's position and limit are left untouched. */
  void responseBody(ByteBuffer buffer) {
    if (ended.get()) return;
    try {
      exchange.responseBody(buffer);
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  boolean isEnded() {
    return ended.get();
  }

  void responseBodyEnd() {
    if (!ended.compareAndSet(false, true)) return;
    try {
      exchange.responseBodyEnd();
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  void responseBodyClosed() {
    if (!ended.compareAndSet(false, true)) return;
    try {
      exchange.responseBodyClosed();
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  /** Ends the exchange without a body, for when this hook could not attach to the response. */
  void responseWithoutBody() {
    if (!ended.compareAndSet(false, true)) return;
    try {
      exchange.responseWithoutBody();
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  void failed(Throwable error) {
    if (!ended.compareAndSet(false, true)) return;
    try {
      exchange.failed(error);
    } catch (Throwable ignored) {
      // see requestBody
    }
  }
}
