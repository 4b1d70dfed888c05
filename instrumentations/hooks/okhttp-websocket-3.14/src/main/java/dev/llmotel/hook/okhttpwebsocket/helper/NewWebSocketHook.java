package dev.llmotel.hook.okhttpwebsocket.helper;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.MessageSession;
import dev.llmotel.exchange.MessageSessions;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.WebSocketListener;

/**
 * Around {@code OkHttpClient.newWebSocket}: asks for a message session for the upgrade request; for one a dialect
 * wants, adds {@code traceparent} (unless the application set it) and wraps the listener. Anything else is left exactly
 * as it was (same objects, no token).
 */
public final class NewWebSocketHook implements CallHook {
  @Override
  public Object enter(Object client, Object[] args) {
    if (args == null || args.length < 2 || !(args[0] instanceof Request) || !(args[1] instanceof WebSocketListener)
        || args[1] instanceof TracingListener) {
      return null;
    }
    Request request = (Request) args[0];
    MessageSession session;
    try {
      session = MessageSessions.begin(describe(request));
    } catch (Throwable t) {
      return null;
    }
    if (session == null) return null;
    try {
      Request traced = request;
      for (Map.Entry<String, String> h : session.propagationHeaders().entrySet()) {
        if (request.header(h.getKey()) == null) traced = traced.newBuilder().header(h.getKey(), h.getValue()).build();
      }
      TracingListener listener = new TracingListener((WebSocketListener) args[1], session);
      args[0] = traced;
      args[1] = listener;
      return session;
    } catch (Throwable t) {
      // could not attach: the socket opens untouched and the session ends here
      session.failed(t);
      return null;
    }
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    if (thrown != null && token instanceof MessageSession) ((MessageSession) token).failed(thrown);
  }

  static ExchangeRequest describe(final Request request) {
    HttpUrl url = request.url();
    String scheme = url.isHttps() ? "wss" : "ws";
    return new ExchangeRequest("GET", scheme, url.host(), url.port(), url.encodedPath(), url.encodedQuery(),
        request::header);
  }
}
