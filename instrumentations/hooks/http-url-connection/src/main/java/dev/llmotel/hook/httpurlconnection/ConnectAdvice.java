package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import sun.net.www.MessageHeader;

/**
 * Inlined into {@code connect()} and {@code plainConnect()} of {@code sun.net.www.protocol.http.HttpURLConnection}
 * (java.base): JDK and bridge types only. Enter may begin the exchange; a thrown exception fails it.
 *
 * <p>The request headers are read here, in the JDK class, from its private {@code requests} ({@code MessageHeader}):
 * the public {@code getRequestProperty} hides {@code Authorization}. Only while not yet connected, i.e. on the calls
 * that can begin an exchange, so later calls cost no copy.
 */
public final class ConnectAdvice {
  private ConnectAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object connection,
      @Advice.Origin("#m") String method,
      @Advice.FieldValue("connected") boolean connected,
      @Advice.FieldValue("requests") Object requests) {
    CallHook hook = Bridges.callHook(HttpUrlConnectionInstrumentation.SLOT);
    if (hook == null) return null;
    return hook.enter(connection,
        new Object[] {method, connected ? null : ((MessageHeader) requests).getHeaders()});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object token, @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(HttpUrlConnectionInstrumentation.SLOT);
    if (hook != null) hook.exit(token, null, thrown);
  }
}
