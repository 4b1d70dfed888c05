package dev.llmotel.apibridge;

import dev.llmotel.hook.PerLoaderHelpers;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ValueHook;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.HookInstrumentation;
import dev.llmotel.telemetry.ParentProbe;
import dev.llmotel.telemetry.ParentProbes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The application's own OpenTelemetry API (any 1.x).
 *
 * <ul>
 *   <li>API without an SDK: {@code GlobalOpenTelemetry.get()} (and {@code getOrNoop()}) return a bridge instead of the
 *       no-op, so the application's spans are recorded by the agent's SDK and export with the LLM spans.
 *   <li>The application set its own SDK or implementation, or the official OpenTelemetry agent is attached: the value
 *       is left alone.
 *   <li>In every case, LLM spans nest under the application's current span ({@code Span.current()} of its API), read by
 *       a parent probe that learns each application loader when its {@code SpanContextKey} initialises, that is the
 *       first time the application stores or reads a span in its context.
 * </ul>
 */
public final class OpenTelemetryApiInstrumentation implements HookInstrumentation {
  static final String HELPER_PACKAGE = "dev.llmotel.apibridge.helper.";
  /** {@link dev.llmotel.bootstrap.Bridges} slots the advice calls (constants: inlined into the advice). */
  static final String GLOBAL_GET_SLOT = "api-bridge/global-get";
  static final String API_LOADED_SLOT = "api-bridge/api-loaded";
  static final String GLOBAL_OPEN_TELEMETRY = "io.opentelemetry.api.GlobalOpenTelemetry";
  static final String SPAN_CONTEXT_KEY = "io.opentelemetry.api.trace.SpanContextKey";

  @Override
  public String name() {
    return "opentelemetry-api";
  }

  @Override
  public String[] typeNames() {
    return new String[] {GLOBAL_OPEN_TELEMETRY, SPAN_CONTEXT_KEY};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice =
        new LinkedHashMap<ElementMatcher<? super MethodDescription>, String>();
    advice.put(isDeclaredBy(named(GLOBAL_OPEN_TELEMETRY)).and(isStatic()).and(takesArguments(0))
            .and(named("get").or(named("getOrNoop"))).and(returns(named("io.opentelemetry.api.OpenTelemetry"))),
        GlobalOpenTelemetryAdvice.class.getName());
    advice.put(isDeclaredBy(named(SPAN_CONTEXT_KEY)).and(isTypeInitializer()),
        SpanContextKeyInitAdvice.class.getName());
    return advice;
  }

  @Override
  public String[] helperPackages() {
    return new String[] {HELPER_PACKAGE};
  }

  @Override
  public void install() {
    HelperLoaders.registerHelperPackages(HELPER_PACKAGE);
    PerLoaderHelpers<ParentProbe> helperProbes =
        new PerLoaderHelpers<ParentProbe>(HELPER_PACKAGE + "CurrentSpanProbe", ParentProbe.class);
    ApplicationApiProbes probes = new ApplicationApiProbes(new HelperProbe(helperProbes));
    ParentProbes.register(probes);
    Bridges.register(API_LOADED_SLOT, probes);
    Bridges.register(GLOBAL_GET_SLOT, new GlobalOpenTelemetryHook(probes, new OpenTelemetryJavaagent(),
        new PerLoaderHelpers<ValueHook>(HELPER_PACKAGE + "GlobalOpenTelemetryReplacement", ValueHook.class)));
  }

  /** The helper probe in a loader; a class rather than a method reference: no lambda spun at premain. */
  static final class HelperProbe implements Function<ClassLoader, ParentProbe> {
    private final PerLoaderHelpers<ParentProbe> helpers;

    HelperProbe(PerLoaderHelpers<ParentProbe> helpers) {
      this.helpers = helpers;
    }

    @Override
    public ParentProbe apply(ClassLoader loader) {
      return helpers.get(loader);
    }
  }
}
