package dev.llmotel.hook.okhttp;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into OkHttp's {@code RealCall$AsyncCall}: the call {@code enqueue} hands to the dispatcher carries the
 * application's current span to the dispatcher thread that runs it. JDK and bridge types only; never throws into
 * OkHttp.
 */
public final class OkHttpAsyncCallAdvice {
  private OkHttpAsyncCallAdvice() {}

  /** The constructor, on the thread that called {@code enqueue}: the current span is taken for this call. */
  public static final class Created {
    private Created() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object asyncCall) {
      CallHook hook = Bridges.callHook(OkHttpEnqueueInstrumentation.SLOT);
      if (hook != null) hook.enter(asyncCall, new Object[] {"created"});
    }
  }

  /** {@code run()} (4.x, 5.x) / {@code execute()} (3.x), on the dispatcher thread: the span is carried around it. */
  public static final class Run {
    private Run() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object asyncCall) {
      CallHook hook = Bridges.callHook(OkHttpEnqueueInstrumentation.SLOT);
      return hook == null ? null : hook.enter(asyncCall, new Object[] {"run"});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object token) {
      if (token == null) return;
      CallHook hook = Bridges.callHook(OkHttpEnqueueInstrumentation.SLOT);
      if (hook != null) hook.exit(token, null, null);
    }
  }
}
