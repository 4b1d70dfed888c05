package dev.llmotel.hook.okhttpwebsocket;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into {@code RealWebSocket.send(String)} and {@code send(ByteString)}. JDK and bridge types only. */
public final class SendAdvice {
  private SendAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object webSocket,
      @Advice.FieldValue(value = "listener", typing = Assigner.Typing.DYNAMIC) Object listener,
      @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object message) {
    CallHook hook = Bridges.callHook(OkHttpWebSocketInstrumentation.SEND_SLOT);
    if (hook == null) return null;
    return hook.enter(webSocket, new Object[] {listener, message});
  }

  /** Nothing today (the hook reports on entry); kept so a hook may look at the result. */
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object accepted,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(OkHttpWebSocketInstrumentation.SEND_SLOT);
    if (hook != null) hook.exit(token, accepted, thrown);
  }
}
