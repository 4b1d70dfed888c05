package dev.llmotel.hook.reactornetty.v1;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ObjectHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code ChannelOperations.discard()}: the client drops a response's inbound (the
 * application asked for the response only, or disposed of it). JDK and bridge types only.
 */
public final class DiscardAdvice {
  private DiscardAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Object operations) {
    ObjectHook hook = Bridges.objectHook(ReactorNettyInstrumentation.DISCARD_SLOT);
    if (hook != null) hook.apply(operations);
  }
}
