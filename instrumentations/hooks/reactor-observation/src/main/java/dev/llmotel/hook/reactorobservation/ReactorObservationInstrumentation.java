package dev.llmotel.hook.reactorobservation;

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
 * Reactor's sources that run application code when they are subscribed ({@code Flux.create}, {@code Mono.create},
 * {@code Flux.defer}, {@code Mono.defer}): their {@code subscribe(CoreSubscriber)}. A framework that keeps its
 * Micrometer observation of an LLM call in the Reactor context ({@code "micrometer.observation"}) and starts the call
 * in such a source's code never makes the observation current there: Spring AI 2 streams through {@code Flux.create}
 * (openai-java's async client) and {@code Mono.fromFuture(Supplier)} (anthropic-java's), below a
 * {@code contextWrite} of its {@code gen_ai.client.operation} observation, and Reactor's automatic context
 * propagation restores thread locals for signals, not for the subscription. While such a source is subscribed under
 * an observation named {@code gen_ai.client.operation}, its scope is open on the subscribing thread (Micrometer
 * tracing makes its span current), so the LLM call begun there is the framework span's child. Any other observation,
 * or none, leaves the subscription as it is. Knows Reactor and Micrometer's Observation API, nothing of any framework.
 */
public final class ReactorObservationInstrumentation implements HookInstrumentation {
  static final String HELPER_PACKAGE = "dev.llmotel.hook.reactorobservation.helper.";
  /** The {@link Bridges} slot the advice calls (a constant: inlined into the advice). */
  static final String SLOT = "reactor-observation/subscribe";

  static final String[] SOURCES = {
    "reactor.core.publisher.FluxCreate", "reactor.core.publisher.MonoCreate",
    "reactor.core.publisher.FluxDefer", "reactor.core.publisher.MonoDefer"
  };

  @Override
  public String name() {
    return "reactor-observation";
  }

  @Override
  public String[] typeNames() {
    return SOURCES.clone();
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(
        named("subscribe").and(takesArguments(1)).and(takesArgument(0, named("reactor.core.CoreSubscriber"))),
        SubscribeAdvice.class.getName());
  }

  @Override
  public String[] helperPackages() {
    return new String[] {HELPER_PACKAGE};
  }

  @Override
  public void install() {
    HelperLoaders.registerHelperPackages(HELPER_PACKAGE);
    Bridges.register(SLOT, PerLoaderCallHook.keepingLast(HELPER_PACKAGE + "ObservationScopes"));
  }
}
