package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code disconnect()} of {@code sun.net.www.protocol.http.HttpURLConnection}: JDK and bridge types
 * only. Tells the hook before the JDK closes the body, so a body not read to its end is ended as abandoned.
 */
public final class DisconnectAdvice {
  private DisconnectAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Object connection, @Advice.Origin("#m") String method) {
    CallHook hook = Bridges.callHook(HttpUrlConnectionInstrumentation.SLOT);
    if (hook != null) hook.enter(connection, new Object[] {method, null});
  }
}
