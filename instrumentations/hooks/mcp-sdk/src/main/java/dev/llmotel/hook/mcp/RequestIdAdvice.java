package dev.llmotel.hook.mcp;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code McpClientSession.generateRequestId()}, which {@code sendRequest} calls on the same thread before
 * it returns: tells the hook the JSON-RPC id of the request it is tracing. JDK and bridge types only.
 */
public final class RequestIdAdvice {
  private RequestIdAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This Object session, @Advice.Return String id) {
    CallHook hook = Bridges.callHook(McpSdkInstrumentation.REQUEST_ID_SLOT);
    if (hook != null && id != null) hook.enter(session, new Object[] {id});
  }
}
