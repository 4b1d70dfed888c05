package dev.llmotel.hook.vertx.v4;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;

/**
 * The advice inlined into Vert.x's client classes: JDK and bridge types only, each a doorway that hands one event to
 * the hook's slot ({@code args[0]} names the event). Nothing here can throw into Vert.x.
 */
public final class VertxClientAdvice {
  /** Event names, {@code args[0]} of every call into the slot. */
  public static final String WRITE = "write";
  public static final String RESPONSE = "response";
  public static final String FAIL = "fail";
  public static final String RESET = "reset";
  public static final String CHUNK = "chunk";
  public static final String END = "end";
  public static final String REQUESTED = "requested";
  public static final String CLOSING = "closing";

  private VertxClientAdvice() {}

  /**
   * {@code HttpClientRequestImpl#doWrite(ByteBuf, boolean end, boolean connect, ...)}, before the method: whether the
   * head is still to be written (the request's own {@code headWritten}), the bytes and whether they end the body. A
   * request already ended (the call fails in Vert.x) or a CONNECT tunnel is not reported.
   */
  public static final class Write {
    private Write() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object request, @Advice.Argument(0) Object body,
        @Advice.Argument(1) boolean end, @Advice.Argument(2) boolean connect,
        @Advice.FieldValue("headWritten") boolean headWritten, @Advice.FieldValue("ended") boolean ended) {
      if (connect || ended) return;
      CallHook hook = Bridges.callHook(VertxHttpClientInstrumentation.SLOT);
      if (hook != null) {
        hook.enter(request, new Object[] {WRITE, body, Boolean.valueOf(end), Boolean.valueOf(!headWritten)});
      }
    }
  }

  /** {@code HttpClientRequestBase#handleResponse(HttpClientResponse)}: status and headers arrived. */
  public static final class Response {
    private Response() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object request, @Advice.Argument(0) Object response) {
      CallHook hook = Bridges.callHook(VertxHttpClientInstrumentation.SLOT);
      if (hook != null) hook.enter(request, new Object[] {RESPONSE, response});
    }
  }

  /**
   * {@code HttpClientRequestBase#fail(Throwable)}: the stream or its connection failed, or Vert.x reset the stream
   * itself (its idle timeout: the request's own {@code reset} cause is then set, and the connection closing that
   * follows is Vert.x's, not the application's).
   */
  public static final class Fail {
    private Fail() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object request, @Advice.Argument(0) Throwable error,
        @Advice.FieldValue("reset") Throwable reset) {
      CallHook hook = Bridges.callHook(VertxHttpClientInstrumentation.SLOT);
      if (hook != null) hook.enter(request, new Object[] {FAIL, error, Boolean.valueOf(reset != null)});
    }
  }

  /** The public {@code HttpClientRequestBase#reset(long[, Throwable])}: the application gives the call up. */
  public static final class Reset {
    private Reset() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object request) {
      CallHook hook = Bridges.callHook(VertxHttpClientInstrumentation.SLOT);
      if (hook != null) hook.enter(request, new Object[] {RESET});
    }
  }

  /** {@code HttpClientResponseImpl#handleChunk(Buffer)}: a chunk on its way to the application. */
  public static final class Chunk {
    private Chunk() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object response, @Advice.Argument(0) Object chunk) {
      CallHook hook = Bridges.callHook(VertxHttpClientInstrumentation.SLOT);
      if (hook != null) hook.enter(response, new Object[] {CHUNK, chunk});
    }
  }

  /** {@code HttpClientResponseImpl#handleEnd(MultiMap)}: the body's end, as the end handler is called. */
  public static final class End {
    private End() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object response) {
      CallHook hook = Bridges.callHook(VertxHttpClientInstrumentation.SLOT);
      if (hook != null) hook.enter(response, new Object[] {END});
    }
  }

  /** {@code HttpClientImpl#request(RequestOptions)}: the future of the request object (fails when no connection). */
  public static final class Requested {
    private Requested() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object client, @Advice.Argument(0) Object options,
        @Advice.Return Object future) {
      if (future == null) return;
      CallHook hook = Bridges.callHook(VertxHttpClientInstrumentation.SLOT);
      if (hook != null) hook.enter(client, new Object[] {REQUESTED, options, future});
    }
  }

  /** {@code ConnectionBase#close(...)}: a connection is being closed (by the application, or by Vert.x when done). */
  public static final class ConnectionClose {
    private ConnectionClose() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object connection) {
      CallHook hook = Bridges.callHook(VertxHttpClientInstrumentation.SLOT);
      if (hook != null) hook.enter(connection, new Object[] {CLOSING});
    }
  }
}
