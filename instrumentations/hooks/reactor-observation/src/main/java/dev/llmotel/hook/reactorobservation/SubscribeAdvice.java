package dev.llmotel.hook.reactorobservation;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/** Inlined into a Reactor source's {@code subscribe(CoreSubscriber)}. JDK and bridge types only; never throws. */
public final class SubscribeAdvice {
  private SubscribeAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.This Object source, @Advice.Argument(0) Object subscriber) {
    CallHook hook = Bridges.callHook(ReactorObservationInstrumentation.SLOT);
    return hook == null ? null : hook.enter(source, new Object[] {subscriber});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object token) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(ReactorObservationInstrumentation.SLOT);
    if (hook != null) hook.exit(token, null, null);
  }
}
