package dev.llmotel.hook.sdkretries;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into openai-java's and anthropic-java's {@code RetryingHttpClient.executeAsync(HttpRequest,
 * RequestOptions)}: opens the logical call on the application's thread; the hook ends it when the returned future
 * completes. JDK and bridge types only.
 */
public final class AsyncRetryAdvice {
  private AsyncRetryAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.This Object self) {
    CallHook hook = Bridges.callHook(RetryLoopInstrumentation.ASYNC_SLOT);
    return hook == null ? null : hook.enter(self, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object token, @Advice.Return Object result,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(RetryLoopInstrumentation.ASYNC_SLOT);
    if (hook != null) hook.exit(token, result, thrown);
  }
}
