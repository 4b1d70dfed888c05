package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import sun.net.www.MessageHeader;

/**
 * Inlined into {@code getOutputStream()} and {@code getInputStream()} of {@code
 * sun.net.www.protocol.http.HttpURLConnection} (java.base): JDK and bridge types only. Enter may begin the exchange
 * (headers read as in {@link ConnectAdvice}); exit hands the hook the returned stream and the connection's {@code
 * responseCode} (set once a status line arrived, also when {@code getInputStream} throws for a 4xx/5xx), and returns
 * the stream the hook gives back (a teed one) in its place.
 */
public final class StreamAdvice {
  private StreamAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object connection,
      @Advice.Origin("#m") String method,
      @Advice.FieldValue("connected") boolean connected,
      @Advice.FieldValue("requests") Object requests) {
    CallHook hook = Bridges.callHook(HttpUrlConnectionInstrumentation.SLOT);
    if (hook == null) return null;
    return hook.enter(connection,
        new Object[] {method, connected ? null : ((MessageHeader) requests).getHeaders()});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object token,
      @Advice.FieldValue("responseCode") int status,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object stream,
      @Advice.Thrown Throwable thrown) {
    if (token == null) return;
    CallHook hook = Bridges.callHook(HttpUrlConnectionInstrumentation.SLOT);
    if (hook == null) return;
    Object[] box = new Object[] {stream, Integer.valueOf(status)};
    hook.exit(token, box, thrown);
    if (thrown == null && box[0] != stream) stream = box[0];
  }
}
