package dev.llmotel.hook.okhttpwebsocket.helper;

import dev.llmotel.exchange.MessageSession;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * The application's listener, seen: each callback is first reported to the session (which never throws) and then
 * passed to the application's listener with the very same arguments, on the same thread, in the same order. What the
 * application's listener throws reaches OkHttp unchanged. The session ends at the peer's close ({@code onClosing}: no
 * message follows), at {@code onClosed}, or at {@code onFailure}, whichever comes first.
 */
final class TracingListener extends WebSocketListener {
  private final WebSocketListener delegate;
  private final MessageSession session;

  TracingListener(WebSocketListener delegate, MessageSession session) {
    this.delegate = delegate;
    this.session = session;
  }

  MessageSession session() {
    return session;
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    int status = -1;
    try {
      status = response.code();
    } catch (Throwable ignored) {
      // no status then
    }
    session.opened(status, null);
    delegate.onOpen(webSocket, response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    session.textReceived(text, true);
    delegate.onMessage(webSocket, text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    long size = -1;
    try {
      size = bytes.size();
    } catch (Throwable ignored) {
      // counted without a size
    }
    session.binaryReceived(size);
    delegate.onMessage(webSocket, bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    session.closed(code, reason);
    delegate.onClosing(webSocket, code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    session.closed(code, reason);
    delegate.onClosed(webSocket, code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    session.failed(t);
    delegate.onFailure(webSocket, t, response);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
