package dev.llmotel.hook.mcp;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code McpStreamableServerSession.McpStreamableServerSessionStream.handle(JSONRPCRequest)} (SDK 2.2),
 * which replaced {@code responseStream(JSONRPCRequest, McpStreamableServerTransport)}: the same call, its session and
 * transport read from the stream's fields. JDK and bridge types only.
 */
public final class StreamHandleAdvice {
  private StreamHandleAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.FieldValue("this$0") Object session,
      @Advice.FieldValue("connection") Object transport,
      @Advice.Argument(0) Object request) {
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
