package dev.llmotel.hook.javawebsocket;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into {@code WebSocketImpl.sendText} / {@code sendBinary}. JDK and bridge types only. */
public final class SendAdvice {
  private SendAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @Advice.This Object webSocket,
      @Advice.FieldValue(value = "listener", typing = Assigner.Typing.DYNAMIC) Object listener,
      @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object data,
      @Advice.Argument(1) boolean last) {
    CallHook hook = Bridges.callHook(JavaWebSocketInstrumentation.SEND_SLOT);
    if (hook != null) hook.enter(listener, new Object[] {data, last});
  }
}
