package dev.llmotel.hook.vertx.v4;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/**
 * The one advice Vert.x 5.1 / 5.2 need beyond {@link VertxClientAdvice}: their request writes a {@code Buffer} and
 * keeps its state in other fields. JDK and bridge types only; it reports the same event to the same slot, so the
 * same helper handles both lines. Nothing here can throw into Vert.x.
 */
public final class VertxClient51Advice {
  private VertxClient51Advice() {}

  /**
   * {@code HttpClientRequestImpl#doWrite(Buffer, boolean end, boolean connect)}, before the method: whether the head
   * is still to be written (the request's own {@code headersSent}), the bytes and whether they end the body. A
   * request already ended ({@code trailersSent}: the call fails in Vert.x) or a CONNECT tunnel is not reported.
   */
  public static final class Write {
    private Write() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object request, @Advice.Argument(0) Object body,
        @Advice.Argument(1) boolean end, @Advice.Argument(2) boolean connect,
        @Advice.FieldValue("headersSent") boolean headersSent, @Advice.FieldValue("trailersSent") boolean ended) {
      if (connect || ended) return;
      CallHook hook = Bridges.callHook(VertxHttpClientInstrumentation.SLOT);
      if (hook != null) {
        hook.enter(request, new Object[] {VertxClientAdvice.WRITE, body, Boolean.valueOf(end),
            Boolean.valueOf(!headersSent)});
      }
    }
  }
}
