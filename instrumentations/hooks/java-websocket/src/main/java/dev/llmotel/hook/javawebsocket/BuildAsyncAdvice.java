package dev.llmotel.hook.javawebsocket;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into {@code BuilderImpl.buildAsync(URI, Listener)} (the java.net.http module). JDK and bridge types only. */
public final class BuildAsyncAdvice {
  private BuildAsyncAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object builder,
      @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object uri,
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object listener) {
    CallHook hook = Bridges.callHook(JavaWebSocketInstrumentation.BUILD_SLOT);
    if (hook == null) return null;
    Object[] args = new Object[] {uri, listener};
    Object token = hook.enter(builder, args);
    if (token != null) listener = args[1];
    return token;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object future,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(JavaWebSocketInstrumentation.BUILD_SLOT);
    if (hook != null) hook.exit(token, future, thrown);
  }
}
