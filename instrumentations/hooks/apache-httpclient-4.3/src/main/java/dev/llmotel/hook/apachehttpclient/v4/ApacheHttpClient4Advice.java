package dev.llmotel.hook.apachehttpclient.v4;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code doExecute(HttpHost, HttpRequest, HttpContext)}. JDK and bridge types only. The hook may
 * change the request in place (trace context header, teed entity) and hands back the response the application gets
 * (one whose entity and {@code close()} are observed) through a one-element array.
 */
public final class ApacheHttpClient4Advice {
  private ApacheHttpClient4Advice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object client,
      @Advice.Argument(0) Object target,
      @Advice.Argument(1) Object request,
      @Advice.Argument(2) Object context) {
    CallHook hook = Bridges.callHook(ApacheHttpClient4Instrumentation.EXECUTE_SLOT);
    if (hook == null) return null;
    return hook.enter(client, new Object[] {target, request, context});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(ApacheHttpClient4Instrumentation.EXECUTE_SLOT);
    if (hook == null) return;
    Object[] box = new Object[] {response};
    hook.exit(token, box, thrown);
    if (thrown == null && box[0] != response) response = box[0];
  }
}
