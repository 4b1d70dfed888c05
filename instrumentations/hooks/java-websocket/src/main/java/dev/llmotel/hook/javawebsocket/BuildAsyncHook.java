package dev.llmotel.hook.javawebsocket;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.MessageSession;
import dev.llmotel.exchange.MessageSessions;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Around {@code BuilderImpl.buildAsync}: {@code args} are {@code [uri, listener]}. A URI no dialect wants is left
 * exactly as it was (same listener, no token). For one a dialect wants, the listener is wrapped; on exit, a thrown
 * exception or a handshake that fails (the future completes exceptionally; the listener is never called then) ends
 * the session. The application's future is never altered: the hook attaches a {@code whenComplete} and drops the
 * derived future.
 */
final class BuildAsyncHook implements CallHook {
  @Override
  public Object enter(Object builder, Object[] args) {
    if (args == null || args.length < 2 || !(args[0] instanceof URI) || !(args[1] instanceof WebSocket.Listener)
        || args[1] instanceof TracingListener) {
      return null;
    }
    MessageSession session;
    try {
      session = MessageSessions.begin(describe((URI) args[0]));
    } catch (Throwable t) {
      return null;
    }
    if (session == null) return null;
    try {
      args[1] = new TracingListener((WebSocket.Listener) args[1], session);
      return session;
    } catch (Throwable t) {
      session.failed(t);
      return null;
    }
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    final MessageSession session = (MessageSession) token;
    if (thrown != null) {
      session.failed(thrown);
      return;
    }
    if (!(result instanceof CompletableFuture)) return;
    ((CompletableFuture<?>) result).whenComplete((ws, error) -> {
      if (error != null) session.failed(error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error);
    });
  }

  static ExchangeRequest describe(URI uri) {
    return new ExchangeRequest("GET", uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(),
        uri.getRawQuery(), HeaderLookup.NONE);
  }
}
