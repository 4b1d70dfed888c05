package dev.llmotel.hook.reactornetty.v1;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code ChannelOperations.receiveObject()}, the inbound every body API of Reactor Netty reads
 * ({@code receive()}, {@code responseContent()}, {@code responseSingle}, Spring's connector). JDK and bridge types
 * only. Enter tells whether these operations carry an exchange (almost never: no allocation then); exit may hand
 * back the inbound behind a tee, through a one-element array.
 */
public final class ReceiveAdvice {
  private ReceiveAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.This Object operations) {
    CallHook hook = Bridges.callHook(ReactorNettyInstrumentation.RECEIVE_SLOT);
    return hook == null ? null : hook.enter(operations, null);
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object inbound) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(ReactorNettyInstrumentation.RECEIVE_SLOT);
    if (hook == null) return;
    Object[] box = new Object[] {inbound};
    hook.exit(token, box, null);
    if (box[0] != inbound && box[0] != null) inbound = box[0];
  }
}
