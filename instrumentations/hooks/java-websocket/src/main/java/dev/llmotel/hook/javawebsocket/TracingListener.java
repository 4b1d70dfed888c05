package dev.llmotel.hook.javawebsocket;

import dev.llmotel.exchange.MessageSession;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * The application's {@link WebSocket.Listener}, seen: each callback is first reported to the session (which never
 * throws) and then passed to the application's listener with the very same arguments, on the same thread; its return
 * value (the stage that tells the JDK when the data may be reused) is the application's. Partial messages ({@code
 * last == false}) are reported as the fragments they are (a binary message counts once, at its last fragment).
 * {@code request(n)} is never called here: back-pressure stays the application's (the default {@code onOpen}
 * requests one message, as without the agent).
 */
final class TracingListener implements WebSocket.Listener {
  private final WebSocket.Listener delegate;
  private final MessageSession session;

  TracingListener(WebSocket.Listener delegate, MessageSession session) {
    this.delegate = delegate;
    this.session = session;
  }

  MessageSession session() {
    return session;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    session.opened(101, null);
    delegate.onOpen(webSocket);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    session.textReceived(data, last);
    return delegate.onText(webSocket, data, last);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    session.binaryReceived(data == null ? -1 : data.remaining(), last);
    return delegate.onBinary(webSocket, data, last);
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    return delegate.onPing(webSocket, message);
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    return delegate.onPong(webSocket, message);
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    session.closed(statusCode, reason);
    return delegate.onClose(webSocket, statusCode, reason);
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    session.failed(error);
    delegate.onError(webSocket, error);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
