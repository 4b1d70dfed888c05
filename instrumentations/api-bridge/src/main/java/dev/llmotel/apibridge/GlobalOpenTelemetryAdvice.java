package dev.llmotel.apibridge;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ValueHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined at the return of {@code GlobalOpenTelemetry.get()} / {@code getOrNoop()}. JDK and bridge types only. */
public final class GlobalOpenTelemetryAdvice {
  private GlobalOpenTelemetryAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object openTelemetry,
      @Advice.Origin Class<?> origin) {
    ValueHook hook = Bridges.valueHook(OpenTelemetryApiInstrumentation.GLOBAL_GET_SLOT);
    if (hook != null) openTelemetry = hook.replace(openTelemetry, origin);
  }
}
