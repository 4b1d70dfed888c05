package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code getErrorStream()} of {@code sun.net.www.protocol.http.HttpURLConnection}: JDK and bridge types
 * only. The body of a 4xx/5xx response is read through this stream; it is teed like {@code getInputStream()}'s. Never
 * begins an exchange.
 */
public final class ErrorStreamAdvice {
  private ErrorStreamAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.This Object connection, @Advice.Origin("#m") String method) {
    CallHook hook = Bridges.callHook(HttpUrlConnectionInstrumentation.SLOT);
    if (hook == null) return null;
    return hook.enter(connection, new Object[] {method, null});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object stream,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(HttpUrlConnectionInstrumentation.SLOT);
    if (hook == null) return;
    Object[] box = new Object[] {stream, null};
    hook.exit(token, box, thrown);
    if (thrown == null && box[0] != stream) stream = box[0];
  }
}
