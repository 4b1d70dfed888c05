package dev.llmotel.hook.mcp;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code McpServerSession.handleIncomingRequest(JSONRPCRequest, McpTransportContext)}, which returns the
 * {@code Mono} of the response the session then sends. JDK and bridge types only; the hook hands back the same
 * {@code Mono}, observed, through a one-element array.
 */
public final class ServerRequestAdvice {
  private ServerRequestAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object session,
      @Advice.FieldValue("transport") Object transport,
      @Advice.Argument(0) Object request) {
    CallHook hook = Bridges.callHook(McpSdkInstrumentation.SERVER_SLOT);
    if (hook == null) return null;
    return hook.enter(session, new Object[] {request, transport});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object mono,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(McpSdkInstrumentation.SERVER_SLOT);
    if (hook == null) return;
    Object[] box = new Object[] {mono};
    hook.exit(token, box, thrown);
    if (thrown == null && box[0] != mono && box[0] != null) mono = box[0];
  }
}
