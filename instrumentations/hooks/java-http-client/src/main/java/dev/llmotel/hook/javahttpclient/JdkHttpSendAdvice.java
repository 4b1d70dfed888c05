package dev.llmotel.hook.javahttpclient;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code HttpClientImpl.sendAsync(request, handler, pushPromiseHandler, executor)}, i.e. into the
 * {@code java.net.http} module: it may reference only JDK types and {@code dev.llmotel.bootstrap} (checked by a
 * test). Parameters are typed {@code Object} (dynamic typing casts the replaced arguments back), so not even the
 * {@code java.net.http} types appear in the advice's signatures.
 */
public final class JdkHttpSendAdvice {
  private JdkHttpSendAdvice() {}

  /** Hands request and body handler to the hook, which may replace them; returns the hook's token (or null). */
  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object client,
      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request,
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
    CallHook hook = Bridges.callHook(JavaHttpClientInstrumentation.SEND_SLOT);
    if (hook == null) return null;
    Object[] args = new Object[] {request, handler};
    Object token = hook.enter(client, args);
    if (token != null) {
      request = args[0];
      handler = args[1];
    }
    return token;
  }

  /** Passes the returned future, or the exception thrown, to the hook. */
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object future,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(JavaHttpClientInstrumentation.SEND_SLOT);
    if (hook != null) hook.exit(token, future, thrown);
  }
}
