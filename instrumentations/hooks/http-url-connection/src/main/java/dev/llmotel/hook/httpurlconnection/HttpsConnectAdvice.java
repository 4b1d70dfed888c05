package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code connect()} of {@code sun.net.www.protocol.https.AbstractDelegateHttpsURLConnection}: JDK and
 * bridge types only. The exchange began in {@code plainConnect()}, which this method calls before the TLS handshake;
 * a handshake (or tunnel) failure is thrown here only, so it is handed to the hook as its own event.
 */
public final class HttpsConnectAdvice {
  private HttpsConnectAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.This Object connection, @Advice.Thrown Throwable thrown) {
    if (thrown == null) return;
    CallHook hook = Bridges.callHook(HttpUrlConnectionInstrumentation.SLOT);
    if (hook != null) hook.enter(connection, new Object[] {ConnectionHook.HTTPS_CONNECT_FAILED, thrown});
  }
}
