package dev.llmotel.hook.sdkretries;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/** Inlined into openai-java's and anthropic-java's async request path. JDK and bridge types only; never throws. */
public final class SdkAsyncAdvice {
  private SdkAsyncAdvice() {}

  /** {@code PrepareRequest.prepareAsync(...)}, on the application's thread: the prepared request's future. */
  public static final class Prepared {
    private Prepared() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return Object future) {
      if (future == null) return;
      CallHook hook = Bridges.callHook(SdkAsyncInstrumentation.SLOT);
      if (hook != null) hook.enter(future, new Object[] {"prepared"});
    }
  }

  /** {@code RetryingHttpClient.executeAsync(HttpRequest, RequestOptions)}, on the SDK's async thread. */
  public static final class Execute {
    private Execute() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Object request) {
      CallHook hook = Bridges.callHook(SdkAsyncInstrumentation.SLOT);
      return hook == null ? null : hook.enter(request, new Object[] {"execute"});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object token) {
      if (token == null) return;
      CallHook hook = Bridges.callHook(SdkAsyncInstrumentation.SLOT);
      if (hook != null) hook.exit(token, null, null);
    }
  }
}
