package dev.llmotel.hook.mcp;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code McpClientSession.sendRequest(String method, Object params, TypeRef)}. JDK and bridge types
 * only. The hook may hand back other params (the same ones with the trace context in {@code _meta}) and hands back the
 * {@code Mono} the application gets (the same one, observed) through a one-element array.
 */
public final class ClientRequestAdvice {
  private ClientRequestAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object session,
      @Advice.FieldValue("transport") Object transport,
      @Advice.Argument(0) String method,
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object params) {
    CallHook hook = Bridges.callHook(McpSdkInstrumentation.CLIENT_SLOT);
    if (hook == null) return null;
    Object[] args = new Object[] {method, params, transport};
    Object token = hook.enter(session, args);
    if (token != null && args[1] != params) params = args[1];
    return token;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object mono,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(McpSdkInstrumentation.CLIENT_SLOT);
    if (hook == null) return;
    Object[] box = new Object[] {mono};
    hook.exit(token, box, thrown);
    if (thrown == null && box[0] != mono && box[0] != null) mono = box[0];
  }
}
