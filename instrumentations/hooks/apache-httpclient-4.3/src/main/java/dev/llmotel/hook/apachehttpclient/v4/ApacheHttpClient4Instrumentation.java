package dev.llmotel.hook.apachehttpclient.v4;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.HookInstrumentation;
import dev.llmotel.hook.PerLoaderCallHook;
import java.util.Collections;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Apache HttpClient 4.3+ classic. The advice sits on {@code doExecute(HttpHost, HttpRequest, HttpContext)} of the
 * two clients {@code HttpClientBuilder} and {@code HttpClients.createMinimal()} build ({@code InternalHttpClient},
 * {@code MinimalHttpClient}): every {@code execute} overload (with or without a {@code ResponseHandler}) passes
 * through it once per application call, above the client's own retries and redirects, so one call is one exchange
 * with its request body once however often the client sends it. The AWS SDK's {@code ApacheHttpClient} and most
 * other users of HC 4 build their client this way.
 *
 * <p>Not covered (belongs to the clients issue): the async client ({@code httpasyncclient} 4.x), HttpClient 5.x,
 * the deprecated {@code DefaultHttpClient} / {@code AbstractHttpClient} family, and 4.0-4.2 (no {@code
 * InternalHttpClient}).
 */
public final class ApacheHttpClient4Instrumentation implements HookInstrumentation {
  static final String HELPER_PACKAGE = "dev.llmotel.hook.apachehttpclient.v4.helper.";
  /** The {@link Bridges} slot the advice calls (a constant: inlined into the advice). */
  static final String EXECUTE_SLOT = "apache-httpclient-4.3/execute";

  @Override
  public String name() {
    return "apache-httpclient-4";
  }

  @Override
  public String[] typeNames() {
    return new String[] {"org.apache.http.impl.client.InternalHttpClient",
        "org.apache.http.impl.client.MinimalHttpClient"};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    ElementMatcher<? super MethodDescription> doExecute = named("doExecute")
        .and(takesArguments(3))
        .and(takesArgument(0, named("org.apache.http.HttpHost")))
        .and(takesArgument(1, named("org.apache.http.HttpRequest")))
        .and(takesArgument(2, named("org.apache.http.protocol.HttpContext")));
    return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(doExecute,
        ApacheHttpClient4Advice.class.getName());
  }

  @Override
  public String[] helperPackages() {
    return new String[] {HELPER_PACKAGE};
  }

  @Override
  public void install() {
    HelperLoaders.registerHelperPackages(HELPER_PACKAGE);
    Bridges.register(EXECUTE_SLOT, PerLoaderCallHook.of(HELPER_PACKAGE + "ExecuteHook"));
  }
}
