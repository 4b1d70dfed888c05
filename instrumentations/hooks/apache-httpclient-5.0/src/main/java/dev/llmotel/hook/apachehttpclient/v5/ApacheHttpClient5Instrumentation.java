package dev.llmotel.hook.apachehttpclient.v5;

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
 * Apache HttpClient 5.x (checked with {@code javap} on 5.0.4, 5.1 and 5.6.5: the same four classes declare the same
 * two methods). Two advice, each on the one method every application call of its API passes through once, above the
 * client's own retries and redirects:
 *
 * <ul>
 *   <li>classic: {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)} of {@code InternalHttpClient}
 *       ({@code HttpClientBuilder}, {@code HttpClients.createDefault()}) and {@code MinimalHttpClient}
 *       ({@code HttpClients.createMinimal()}). Every {@code execute} / {@code executeOpen} overload, with or without an
 *       {@code HttpClientResponseHandler}, calls it; Spring's {@code RestClient} / {@code RestTemplate} on
 *       {@code HttpComponentsClientHttpRequestFactory} too.
 *   <li>async: {@code doExecute(HttpHost, AsyncRequestProducer, AsyncResponseConsumer, HandlerFactory, HttpContext,
 *       FutureCallback)} of {@code InternalAbstractHttpAsyncClient} (HTTP/1.1 and HTTP/2 clients of {@code
 *       HttpAsyncClients.custom()} / {@code customHttp2()}) and {@code AbstractMinimalHttpAsyncClientBase}
 *       ({@code createMinimal()}, {@code createHttp2Minimal()}): every {@code execute} overload, {@code
 *       SimpleHttpRequest} included, calls it. The subclasses do not override it.
 * </ul>
 *
 * <p>Not covered: an {@code AsyncClientExchangeHandler} given directly to a minimal client's {@code
 * execute(handler, ...)}, and the async clients' HTTP/2 push streams.
 */
public final class ApacheHttpClient5Instrumentation implements HookInstrumentation {
  static final String HELPER_PACKAGE = "dev.llmotel.hook.apachehttpclient.v5.helper.";
  /** The {@link Bridges} slots the advice call (constants: inlined into the advice). */
  static final String CLASSIC_SLOT = "apache-httpclient-5.0/classic";
  static final String ASYNC_SLOT = "apache-httpclient-5.0/async";

  static final String[] CLASSIC_CLIENTS = {"org.apache.hc.client5.http.impl.classic.InternalHttpClient",
      "org.apache.hc.client5.http.impl.classic.MinimalHttpClient"};
  static final String[] ASYNC_CLIENTS = {"org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
      "org.apache.hc.client5.http.impl.async.AbstractMinimalHttpAsyncClientBase"};

  @Override
  public String name() {
    return "apache-httpclient-5";
  }

  @Override
  public String[] typeNames() {
    String[] names = new String[CLASSIC_CLIENTS.length + ASYNC_CLIENTS.length];
    System.arraycopy(CLASSIC_CLIENTS, 0, names, 0, CLASSIC_CLIENTS.length);
    System.arraycopy(ASYNC_CLIENTS, 0, names, CLASSIC_CLIENTS.length, ASYNC_CLIENTS.length);
    return names;
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice =
        new LinkedHashMap<ElementMatcher<? super MethodDescription>, String>();
    advice.put(classicDoExecute(), ClassicExecuteAdvice.class.getName());
    advice.put(asyncDoExecute(), AsyncExecuteAdvice.class.getName());
    return advice;
  }

  static ElementMatcher.Junction<MethodDescription> classicDoExecute() {
    return named("doExecute")
        .and(takesArguments(3))
        .and(takesArgument(0, named("org.apache.hc.core5.http.HttpHost")))
        .and(takesArgument(1, named("org.apache.hc.core5.http.ClassicHttpRequest")))
        .and(takesArgument(2, named("org.apache.hc.core5.http.protocol.HttpContext")));
  }

  static ElementMatcher.Junction<MethodDescription> asyncDoExecute() {
    return named("doExecute")
        .and(takesArguments(6))
        .and(takesArgument(0, named("org.apache.hc.core5.http.HttpHost")))
        .and(takesArgument(1, named("org.apache.hc.core5.http.nio.AsyncRequestProducer")))
        .and(takesArgument(2, named("org.apache.hc.core5.http.nio.AsyncResponseConsumer")))
        .and(takesArgument(3, named("org.apache.hc.core5.http.nio.HandlerFactory")))
        .and(takesArgument(4, named("org.apache.hc.core5.http.protocol.HttpContext")))
        .and(takesArgument(5, named("org.apache.hc.core5.concurrent.FutureCallback")));
  }

  @Override
  public String[] helperPackages() {
    return new String[] {HELPER_PACKAGE};
  }

  @Override
  public void install() {
    HelperLoaders.registerHelperPackages(HELPER_PACKAGE);
    Bridges.register(CLASSIC_SLOT, PerLoaderCallHook.of(HELPER_PACKAGE + "ClassicExecuteHook"));
    Bridges.register(ASYNC_SLOT, PerLoaderCallHook.of(HELPER_PACKAGE + "AsyncExecuteHook"));
  }
}
