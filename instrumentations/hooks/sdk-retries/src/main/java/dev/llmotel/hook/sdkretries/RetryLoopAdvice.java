package dev.llmotel.hook.sdkretries;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/** Inlined into a library's retry loop. JDK and bridge types only. */
public final class RetryLoopAdvice {
  private RetryLoopAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter() {
    CallHook hook = Bridges.callHook(RetryLoopInstrumentation.SLOT);
    return hook == null ? null : hook.enter(null, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object token, @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(RetryLoopInstrumentation.SLOT);
    if (hook != null) hook.exit(token, null, thrown);
  }
}
