package dev.llmotel.hook.okhttpwebsocket.helper;

import dev.llmotel.bootstrap.CallHook;
import okio.ByteString;

/**
 * Around {@code RealWebSocket.send}: {@code args} are {@code [the socket's listener, the message]}. Only a socket
 * whose listener is a {@link TracingListener} is of interest. The message is reported on entry, before OkHttp queues
 * it: the peer may answer (on OkHttp's reader thread) before {@code send} even returns, and the session must see the
 * request before the answer. A message OkHttp refuses (the socket is closing, or 16 MiB are queued) is then reported
 * all the same; after the session's end nothing is.
 */
public final class SendHook implements CallHook {
  @Override
  public Object enter(Object webSocket, Object[] args) {
    if (args == null || args.length < 2 || !(args[0] instanceof TracingListener)) return null;
    TracingListener listener = (TracingListener) args[0];
    if (args[1] instanceof String) listener.session().textSent((String) args[1], true);
    else if (args[1] instanceof ByteString) listener.session().binarySent(((ByteString) args[1]).size());
    return null;
  }

  @Override
  public void exit(Object token, Object accepted, Throwable thrown) {
    // everything happened on entry
  }
}
