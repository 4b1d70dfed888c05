package dev.llmotel.hook.reactornetty.v1;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ObjectHook;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.HookInstrumentation;
import dev.llmotel.hook.PerLoaderCallHook;
import dev.llmotel.hook.PerLoaderHelpers;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Reactor Netty's {@code HttpClient} 1.0.x to 1.3.x, and so Spring's {@code WebClient} on its
 * {@code ReactorClientHttpConnector} and {@code RestClient} / {@code RestTemplate} on its
 * {@code ReactorClientHttpRequestFactory}. One application subscription is one exchange, whatever the client does below it
 * (pool, retries of a reset connection, redirects). Four doorways, each a few lines of advice calling a helper:
 *
 * <ul>
 *   <li>{@code HttpClientConnect$MonoHttpConnect.subscribe(CoreSubscriber)} runs on the thread that subscribes, with
 *       the request's final configuration (URI after {@code baseUrl} and any deferred configuration): the exchange
 *       begins there, so the application's current span is the LLM span's parent whichever Reactor thread carries
 *       the call on. The exchange travels in the subscriber's Reactor {@code Context}, which Reactor Netty hands to
 *       every {@code HttpClientOperations} of the call.</li>
 *   <li>{@code HttpClientOperations}' constructors (one operations object per request sent on a connection, pooled or
 *       new): a handler is put on that connection's pipeline, after the HTTP codec, that adds the trace context
 *       header unless the request has one and copies the request body as it is written (any body publisher, forms
 *       included), then removes itself; the pool never carries it to another exchange.</li>
 *   <li>{@code ChannelOperations.receiveObject()}: the response body the application subscribes to is handed out
 *       behind a tee that copies each buffer while it is valid, before the application's subscriber gets it (never
 *       retaining or releasing it), and ends the exchange on complete, error or cancel. A body subscribed to only after
 *       the whole response arrived (Spring's {@code RestClient} on {@code ReactorClientHttpRequestFactory}) is found
 *       through the identity of its operations: Reactor Netty 1.1.24+ has dropped their context by then.</li>
 *   <li>{@code ChannelOperations.discard()}: a response whose body the application never subscribed to ends when
 *       the client drops it.</li>
 * </ul>
 *
 * <p>Requests no dialect wants cost a URI split and one look-up in the subscriber's context per subscription, and one
 * context look-up per operations object; nothing is added to their pipeline or their body.
 */
public final class ReactorNettyInstrumentation implements HookInstrumentation {
  static final String HELPER_PACKAGE = "dev.llmotel.hook.reactornetty.v1.helper.";
  /** The {@link Bridges} slots the advice calls (constants: inlined into the advice). */
  static final String SUBSCRIBE_SLOT = "reactor-netty-1.0/subscribe";
  static final String OPERATIONS_SLOT = "reactor-netty-1.0/operations";
  static final String RECEIVE_SLOT = "reactor-netty-1.0/receive";
  static final String DISCARD_SLOT = "reactor-netty-1.0/discard";

  static final String MONO_HTTP_CONNECT = "reactor.netty.http.client.HttpClientConnect$MonoHttpConnect";
  static final String HTTP_CLIENT_OPERATIONS = "reactor.netty.http.client.HttpClientOperations";
  static final String CHANNEL_OPERATIONS = "reactor.netty.channel.ChannelOperations";

  @Override
  public String name() {
    return "reactor-netty";
  }

  @Override
  public String[] typeNames() {
    return new String[] {MONO_HTTP_CONNECT, HTTP_CLIENT_OPERATIONS, CHANNEL_OPERATIONS};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice =
        new LinkedHashMap<ElementMatcher<? super MethodDescription>, String>();
    advice.put(isDeclaredBy(named(MONO_HTTP_CONNECT)).and(named("subscribe")).and(takesArguments(1))
        .and(takesArgument(0, named("reactor.core.CoreSubscriber"))), SubscribeAdvice.class.getName());
    advice.put(isDeclaredBy(named(HTTP_CLIENT_OPERATIONS)).and(isConstructor()), OperationsAdvice.class.getName());
    advice.put(isDeclaredBy(named(CHANNEL_OPERATIONS)).and(named("receiveObject")).and(takesArguments(0)),
        ReceiveAdvice.class.getName());
    advice.put(isDeclaredBy(named(CHANNEL_OPERATIONS)).and(named("discard")).and(takesArguments(0)),
        DiscardAdvice.class.getName());
    return advice;
  }

  @Override
  public String[] helperPackages() {
    return new String[] {HELPER_PACKAGE};
  }

  @Override
  public void install() {
    HelperLoaders.registerHelperPackages(HELPER_PACKAGE);
    Bridges.register(SUBSCRIBE_SLOT, PerLoaderCallHook.of(HELPER_PACKAGE + "SubscribeHook"));
    Bridges.register(RECEIVE_SLOT, PerLoaderCallHook.of(HELPER_PACKAGE + "ReceiveHook"));
    Bridges.register(OPERATIONS_SLOT, new ObjectDispatcher(helper("OperationsHook", ObjectHook.class)));
    Bridges.register(DISCARD_SLOT, new ObjectDispatcher(helper("DiscardHook", ObjectHook.class)));
  }

  private static <T> PerLoaderHelpers<T> helper(String simpleName, Class<T> type) {
    return new PerLoaderHelpers<T>(HELPER_PACKAGE + simpleName, type);
  }

  /** Hands an object of the client to the helper of its class loader. */
  static final class ObjectDispatcher implements ObjectHook {
    private final PerLoaderHelpers<ObjectHook> helpers;

    ObjectDispatcher(PerLoaderHelpers<ObjectHook> helpers) {
      this.helpers = helpers;
    }

    @Override
    public void apply(Object target) {
      try {
        ObjectHook helper = helpers.get(target.getClass().getClassLoader());
        if (helper != null) helper.apply(target);
      } catch (Throwable ignored) {
        // observing never breaks the client
      }
    }
  }
}
