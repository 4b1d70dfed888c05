package dev.llmotel.hook.mcp;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the servlet streamable-HTTP transport's {@code sendMessage(JSONRPCMessage, String)}: tells the hook of
 * each message a streamable-HTTP server sends, so that a request's span learns its response (a JSON-RPC error, a tool
 * result with {@code isError}); the message goes out untouched. JDK and bridge types only.
 */
public final class ServletResponseAdvice {
  private ServletResponseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Object transport, @Advice.Argument(0) Object message) {
    CallHook hook = Bridges.callHook(McpSdkInstrumentation.SERVER_SLOT);
    if (hook != null && message != null) hook.enter(transport, new Object[] {message});
  }
}
