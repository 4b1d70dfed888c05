package dev.llmotel.hook.okhttp;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ObjectHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code RealCall.enqueue(Callback)} (OkHttp's public {@code Call#enqueue}): the call about to
 * be queued is noted as carrying the logical call open on this thread, if any, to the dispatcher's thread where the
 * interceptor begins its exchange. The call, the callback and what the application sees are left as they are. JDK and
 * bridge types only.
 */
public final class OkHttpEnqueueAdvice {
  private OkHttpEnqueueAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Object call) {
    ObjectHook hook = Bridges.objectHook(OkHttpInstrumentation.ENQUEUE_SLOT);
    if (hook != null) hook.apply(call);
  }
}
