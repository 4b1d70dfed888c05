package dev.llmotel.hook.reactornetty.v1;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ObjectHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of every {@code HttpClientOperations} constructor: one operations object per request written on
 * a connection. JDK and bridge types only.
 */
public final class OperationsAdvice {
  private OperationsAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This Object operations) {
    ObjectHook hook = Bridges.objectHook(ReactorNettyInstrumentation.OPERATIONS_SLOT);
    if (hook != null) hook.apply(operations);
  }
}
