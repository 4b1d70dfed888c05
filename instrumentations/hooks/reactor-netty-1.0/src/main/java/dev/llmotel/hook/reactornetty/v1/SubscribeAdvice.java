package dev.llmotel.hook.reactornetty.v1;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined at the start of {@code HttpClientConnect$MonoHttpConnect.subscribe(CoreSubscriber)}, on the subscribing
 * thread. JDK and bridge types only. The hook gets the request's configuration and may replace the subscriber (with
 * one that carries the exchange in its context) through the arguments array.
 */
public final class SubscribeAdvice {
  private SubscribeAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @Advice.FieldValue(value = "config", typing = Assigner.Typing.DYNAMIC) Object config,
      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object subscriber) {
    CallHook hook = Bridges.callHook(ReactorNettyInstrumentation.SUBSCRIBE_SLOT);
    if (hook == null || config == null) return;
    Object[] args = new Object[] {subscriber};
    hook.enter(config, args);
    if (args[0] != subscriber && args[0] != null) subscriber = args[0];
  }
}
