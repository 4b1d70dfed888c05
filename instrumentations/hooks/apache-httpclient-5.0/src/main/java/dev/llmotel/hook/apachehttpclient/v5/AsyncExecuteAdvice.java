package dev.llmotel.hook.apachehttpclient.v5;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into the async clients' {@code doExecute(HttpHost, AsyncRequestProducer, AsyncResponseConsumer,
 * HandlerFactory, HttpContext, FutureCallback)}. JDK and bridge types only (parameters typed {@code Object}, cast back
 * by dynamic typing). The hook may replace the request producer, the response consumer and the future's callback
 * with observing wrappers (the callback to learn that the application cancelled the future).
 */
public final class AsyncExecuteAdvice {
  private AsyncExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object client,
      @Advice.Argument(0) Object target,
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object producer,
      @Advice.Argument(value = 2, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object consumer,
      @Advice.Argument(value = 5, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object callback) {
    CallHook hook = Bridges.callHook(ApacheHttpClient5Instrumentation.ASYNC_SLOT);
    if (hook == null) return null;
    Object[] args = new Object[] {target, producer, consumer, callback};
    Object token = hook.enter(client, args);
    if (token != null) {
      producer = args[1];
      consumer = args[2];
      callback = args[3];
    }
    return token;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(ApacheHttpClient5Instrumentation.ASYNC_SLOT);
    if (hook != null) hook.exit(token, null, thrown);
  }
}
