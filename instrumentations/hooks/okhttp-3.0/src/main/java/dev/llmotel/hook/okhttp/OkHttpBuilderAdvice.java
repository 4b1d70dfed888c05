package dev.llmotel.hook.okhttp;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ObjectHook;
import net.bytebuddy.asm.Advice;

/** Inlined at the end of every {@code OkHttpClient.Builder} constructor. JDK and bridge types only. */
public final class OkHttpBuilderAdvice {
  private OkHttpBuilderAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This Object builder) {
    ObjectHook hook = Bridges.objectHook(OkHttpInstrumentation.BUILDER_SLOT);
    if (hook != null) hook.apply(builder);
  }
}
