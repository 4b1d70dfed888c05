package dev.llmotel.apibridge;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ObjectHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the static initialiser of the application's {@code io.opentelemetry.api.trace.SpanContextKey},
 * which runs the first time the application stores or reads a span in its context. JDK and bridge types only.
 */
public final class SpanContextKeyInitAdvice {
  private SpanContextKeyInitAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Origin Class<?> initialised) {
    ObjectHook hook = Bridges.objectHook(OpenTelemetryApiInstrumentation.API_LOADED_SLOT);
    if (hook != null) hook.apply(initialised);
  }
}
