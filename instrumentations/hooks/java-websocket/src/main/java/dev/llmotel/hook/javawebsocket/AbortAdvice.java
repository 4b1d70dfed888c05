package dev.llmotel.hook.javawebsocket;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into {@code WebSocketImpl.abort()}. JDK and bridge types only. */
public final class AbortAdvice {
  private AbortAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @Advice.FieldValue(value = "listener", typing = Assigner.Typing.DYNAMIC) Object listener) {
    CallHook hook = Bridges.callHook(JavaWebSocketInstrumentation.SEND_SLOT);
    if (hook != null) hook.enter(listener, null);
  }
}
