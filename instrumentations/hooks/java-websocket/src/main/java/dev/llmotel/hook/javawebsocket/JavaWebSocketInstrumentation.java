package dev.llmotel.hook.javawebsocket;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.config.AgentLog;
import dev.llmotel.hook.HookInstrumentation;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code java.net.http.WebSocket} (JDK 11+). Advice on two classes of {@code jdk.internal.net.http.websocket}, checked
 * with {@code javap -p} on JDK 17.0.15 and Temurin 25:
 * <ul>
 *   <li>{@code BuilderImpl.buildAsync(URI, Listener)}: for a URI a message dialect wants, the listener is replaced by
 *       a {@link TracingListener} (every callback reaches the application's listener, with the same arguments and
 *       its own return value, so its {@code request(n)} back-pressure is untouched); a handshake that fails ends the
 *       session;</li>
 *   <li>{@code WebSocketImpl.sendText(CharSequence, boolean)}, {@code sendBinary(ByteBuffer, boolean)} and {@code
 *       abort()}: read the socket's {@code listener} field; when it is a tracing listener, the message (or the abort)
 *       is reported to its session, on entry.</li>
 * </ul>
 * No {@code traceparent} on the upgrade request: the builder is the application's (it may build again) and its
 * header list is internal. No helper packages: JDK types only, in the agent's own loader; nothing here touches {@code
 * java.net.http} on Java 8.
 */
public final class JavaWebSocketInstrumentation implements HookInstrumentation {
  static final String BUILD_SLOT = "java-websocket/build";
  static final String SEND_SLOT = "java-websocket/send";

  @Override
  public String name() {
    return "java-websocket";
  }

  @Override
  public String[] typeNames() {
    return new String[] {"jdk.internal.net.http.websocket.BuilderImpl", "jdk.internal.net.http.websocket.WebSocketImpl"};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice = new LinkedHashMap<>();
    advice.put(named("buildAsync").and(takesArguments(2))
        .and(takesArgument(0, named("java.net.URI")))
        .and(takesArgument(1, named("java.net.http.WebSocket$Listener"))), BuildAsyncAdvice.class.getName());
    advice.put(isPublic().and(named("sendText").or(named("sendBinary"))).and(takesArguments(2))
        .and(takesArgument(1, boolean.class)), SendAdvice.class.getName());
    advice.put(isPublic().and(named("abort")).and(takesArguments(0)), AbortAdvice.class.getName());
    return advice;
  }

  @Override
  public String[] helperPackages() {
    return new String[0];
  }

  @Override
  public void install() {
    try {
      Class.forName("java.net.http.WebSocket", false, JavaWebSocketInstrumentation.class.getClassLoader());
    } catch (Throwable t) {
      return;
    }
    try {
      Bridges.register(BUILD_SLOT, new BuildAsyncHook());
      Bridges.register(SEND_SLOT, new SendHook());
    } catch (Throwable t) {
      AgentLog.debug("java.net.http WebSocket hook not installed: " + t);
    }
  }
}
