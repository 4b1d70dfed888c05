package dev.llmotel.hook.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.config.AgentLog;
import dev.llmotel.hook.HookInstrumentation;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code java.net.HttpURLConnection} as the JDK implements it: {@code sun.net.www.protocol.http.HttpURLConnection}
 * (Spring's {@code SimpleClientHttpRequestFactory}, the default of {@code RestTemplate}, and many small SDKs use it).
 * HTTPS goes through {@code HttpsURLConnectionImpl}, which hands every call to a {@code DelegateHttpsURLConnection},
 * a subclass of the same class: the advice on the base class's methods covers both. Checked with {@code javap -p} on
 * JDK 17.0.15 and Temurin 25 (the same methods and fields); the same members exist since JDK 8.
 *
 * <ul>
 *   <li>{@code connect()}, {@code plainConnect()}, {@code getOutputStream()}, {@code getInputStream()}: the first of
 *       them on a connection begins its exchange, before the request is sent, and sets {@code traceparent} (unless
 *       the application did). {@code getResponseCode()} and the header getters go through {@code getInputStream()}.
 *       {@code plainConnect()} is where an explicit HTTPS {@code connect()} arrives (the delegate overrides
 *       {@code connect()} but calls it).
 *   <li>{@code getOutputStream()} returns a stream that tees the request body (buffered, fixed-length or chunked);
 *       {@code getInputStream()} reports the status and headers once and returns a stream that tees the body;
 *       {@code getErrorStream()} does the same for a 4xx/5xx body.
 *   <li>{@code disconnect()} before the body's end: abandoned.
 *   <li>{@code AbstractDelegateHttpsURLConnection.connect()}: a TLS handshake that fails after {@code plainConnect()}
 *       fails the exchange.
 * </ul>
 *
 * <p>No helper packages: the hook uses JDK types only ({@code java.net.HttpURLConnection} and its streams), so all of
 * it lives in the agent's own loader behind one {@link Bridges} slot, and nothing is defined in any application
 * loader. A JDK whose internals differ (a missing field or method) fails the weaving: the class is then left as it
 * was, with one debug line from the installer, and the application works as without the agent.
 */
public final class HttpUrlConnectionInstrumentation implements HookInstrumentation {
  /** The {@link Bridges} slot every advice calls (a constant: inlined into the advice). */
  static final String SLOT = "http-url-connection/connection";
  static final String CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";
  static final String HTTPS_DELEGATE = "sun.net.www.protocol.https.AbstractDelegateHttpsURLConnection";

  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public String[] typeNames() {
    return new String[] {CONNECTION, HTTPS_DELEGATE};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice =
        new LinkedHashMap<ElementMatcher<? super MethodDescription>, String>();
    advice.put(ofConnection("connect").or(ofConnection("plainConnect")), ConnectAdvice.class.getName());
    advice.put(ofConnection("getOutputStream").or(ofConnection("getInputStream")), StreamAdvice.class.getName());
    advice.put(ofConnection("getErrorStream"), ErrorStreamAdvice.class.getName());
    advice.put(ofConnection("disconnect"), DisconnectAdvice.class.getName());
    advice.put(isDeclaredBy(named(HTTPS_DELEGATE)).and(named("connect")).and(takesArguments(0)),
        HttpsConnectAdvice.class.getName());
    return advice;
  }

  /** The no-argument method of that name declared by the JDK's connection class itself. */
  static ElementMatcher.Junction<MethodDescription> ofConnection(String method) {
    return isDeclaredBy(named(CONNECTION)).and(named(method)).and(takesArguments(0));
  }

  @Override
  public String[] helperPackages() {
    return new String[0];
  }

  @Override
  public void install() {
    try {
      Bridges.register(SLOT, new ConnectionHook());
    } catch (Throwable t) {
      AgentLog.debug("HttpURLConnection hook not installed: " + t);
    }
  }
}
