package dev.llmotel.hook.okhttpwebsocket;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into {@code OkHttpClient.newWebSocket(Request, WebSocketListener)}. JDK and bridge types only. */
public final class NewWebSocketAdvice {
  private NewWebSocketAdvice() {}

  /** Hands request and listener to the hook, which may replace them; returns its token (or null). */
  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object client,
      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request,
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object listener) {
    CallHook hook = Bridges.callHook(OkHttpWebSocketInstrumentation.NEW_SLOT);
    if (hook == null) return null;
    Object[] args = new Object[] {request, listener};
    Object token = hook.enter(client, args);
    if (token != null) {
      request = args[0];
      listener = args[1];
    }
    return token;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object webSocket,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(OkHttpWebSocketInstrumentation.NEW_SLOT);
    if (hook != null) hook.exit(token, webSocket, thrown);
  }
}
