package dev.llmotel.hook.mcp;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code McpStreamableServerSession.responseStream(JSONRPCRequest, McpStreamableServerTransport)} (SDK
 * 1.0 to 2.1), which handles one request of a streamable-HTTP session and sends its response through the transport.
 * JDK and bridge types only. The hook hands back the same {@code Mono}, observed.
 */
public final class StreamableServerRequestAdvice {
  private StreamableServerRequestAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object session,
      @Advice.Argument(0) Object request,
      @Advice.Argument(1) Object transport) {
    CallHook hook = Bridges.callHook(McpSdkInstrumentation.SERVER_SLOT);
    if (hook == null) return null;
    return hook.enter(session, new Object[] {request, transport, Boolean.TRUE});
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
