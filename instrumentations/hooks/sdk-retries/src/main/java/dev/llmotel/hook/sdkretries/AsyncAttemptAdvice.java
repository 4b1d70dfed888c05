package dev.llmotel.hook.sdkretries;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the Kotlin-generated method of openai-java's and anthropic-java's {@code executeAsync} that starts
 * each attempt ({@code executeAsync$executeWithRetries}): the first time, on the application's thread, the attempt
 * counter its calls share is made to carry the logical call; a retry, on the SDK's sleeper thread, binds that call
 * while it starts its attempt. JDK and bridge types only.
 */
public final class AsyncAttemptAdvice {
  private AsyncAttemptAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.AllArguments Object[] args) {
    CallHook hook = Bridges.callHook(RetryLoopInstrumentation.ATTEMPT_SLOT);
    return hook == null ? null : hook.enter(null, args);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object token) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(RetryLoopInstrumentation.ATTEMPT_SLOT);
    if (hook != null) hook.exit(token, null, null);
  }
}
