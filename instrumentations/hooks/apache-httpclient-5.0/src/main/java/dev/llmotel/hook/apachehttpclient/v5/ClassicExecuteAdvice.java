package dev.llmotel.hook.apachehttpclient.v5;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into the classic clients' {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)}. JDK and bridge
 * types only. The hook changes the request in place on enter (trace context header, teed entity) and gives it back
 * on exit; the response object is the client's own, only its entity is swapped for a teed one.
 */
public final class ClassicExecuteAdvice {
  private ClassicExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object client,
      @Advice.Argument(0) Object target,
      @Advice.Argument(1) Object request,
      @Advice.Argument(2) Object context) {
    CallHook hook = Bridges.callHook(ApacheHttpClient5Instrumentation.CLASSIC_SLOT);
    if (hook == null) return null;
    return hook.enter(client, new Object[] {target, request, context});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object response,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(ApacheHttpClient5Instrumentation.CLASSIC_SLOT);
    if (hook != null) hook.exit(token, response, thrown);
  }
}
