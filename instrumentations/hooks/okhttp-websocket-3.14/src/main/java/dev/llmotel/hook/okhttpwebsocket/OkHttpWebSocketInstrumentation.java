package dev.llmotel.hook.okhttpwebsocket;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.HookInstrumentation;
import dev.llmotel.hook.PerLoaderCallHook;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * OkHttp 3.14, 4.x and 5.x WebSockets. Two advice points:
 * <ul>
 *   <li>{@code OkHttpClient.newWebSocket(Request, WebSocketListener)}: for an upgrade request a message dialect
 *       wants, the request gets {@code traceparent} (unless set) and the listener is wrapped ({@code
 *       helper.TracingListener}: every callback reaches the application's listener, with the same arguments, after
 *       the session has seen it);</li>
 *   <li>{@code RealWebSocket.send(String)} / {@code send(ByteString)}: reads the socket's {@code listener} field; when
 *       it is a tracing listener, the message is reported to its session (on entry, before OkHttp queues it).</li>
 * </ul>
 * Checked with {@code javap -p} on OkHttp 3.14.9, 4.12.0 and 5.5.1: each has {@code okhttp3.internal.ws.RealWebSocket} with a
 * {@code listener} field and the two public {@code send} methods. A version without them is simply not woven (the
 * listener is then still wrapped and sees received messages; sent ones go unseen).
 */
public final class OkHttpWebSocketInstrumentation implements HookInstrumentation {
  static final String HELPER_PACKAGE = "dev.llmotel.hook.okhttpwebsocket.helper.";
  static final String NEW_SLOT = "okhttp-websocket/new";
  static final String SEND_SLOT = "okhttp-websocket/send";

  @Override
  public String name() {
    return "okhttp-websocket";
  }

  @Override
  public String[] typeNames() {
    return new String[] {"okhttp3.OkHttpClient", "okhttp3.internal.ws.RealWebSocket"};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice = new LinkedHashMap<>();
    advice.put(named("newWebSocket").and(takesArguments(2))
        .and(takesArgument(0, named("okhttp3.Request")))
        .and(takesArgument(1, named("okhttp3.WebSocketListener"))), NewWebSocketAdvice.class.getName());
    advice.put(named("send").and(isPublic()).and(takesArguments(1))
        .and(takesArgument(0, named("java.lang.String")).or(takesArgument(0, named("okio.ByteString")))),
        SendAdvice.class.getName());
    return advice;
  }

  @Override
  public String[] helperPackages() {
    return new String[] {HELPER_PACKAGE};
  }

  @Override
  public void install() {
    HelperLoaders.registerHelperPackages(HELPER_PACKAGE);
    Bridges.register(NEW_SLOT, PerLoaderCallHook.of(HELPER_PACKAGE + "NewWebSocketHook"));
    Bridges.register(SEND_SLOT, PerLoaderCallHook.keepingLast(HELPER_PACKAGE + "SendHook"));
  }
}
