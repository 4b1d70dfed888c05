package dev.llmotel.hook.javawebsocket;

import dev.llmotel.bootstrap.CallHook;
import java.nio.ByteBuffer;

/**
 * Called on entry of {@code WebSocketImpl.sendText} / {@code sendBinary} with {@code self} the socket's listener and
 * {@code args} {@code [data, last]}, and of {@code abort()} with {@code args} null. Only a socket whose listener is a
 * {@link TracingListener} is of interest. Reported on entry: the peer may answer before the send's future completes.
 */
final class SendHook implements CallHook {
  @Override
  public Object enter(Object listener, Object[] args) {
    if (!(listener instanceof TracingListener)) return null;
    TracingListener tracing = (TracingListener) listener;
    if (args == null) {
      tracing.session().closed(1006, "aborted");
      return null;
    }
    boolean last = !(args[1] instanceof Boolean) || (Boolean) args[1];
    if (args[0] instanceof CharSequence) tracing.session().textSent((CharSequence) args[0], last);
    else if (args[0] instanceof ByteBuffer) tracing.session().binarySent(((ByteBuffer) args[0]).remaining(), last);
    return null;
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    // everything happens on entry
  }
}
