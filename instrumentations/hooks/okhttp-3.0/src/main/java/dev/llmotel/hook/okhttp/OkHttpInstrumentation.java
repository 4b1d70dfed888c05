package dev.llmotel.hook.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ObjectHook;
import dev.llmotel.exchange.LogicalCall;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.PerLoaderHelpers;
import dev.llmotel.hook.HookInstrumentation;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * OkHttp 3.x, 4.x and 5.x: every {@code OkHttpClient.Builder} gets one application interceptor, so sync {@code
 * execute}, async {@code enqueue}, retries and redirects all pass through it (the seam OkHttp itself offers).
 *
 * <p>{@code enqueue} runs the interceptor on the dispatcher's thread: an advice on {@code RealCall.enqueue(Callback)}
 * ({@code okhttp3.RealCall} in 3.x, {@code okhttp3.internal.connection.RealCall} in 4.x and 5.x; matched by the public
 * {@code Call#enqueue} signature) notes the logical call open on the enqueuing thread (an SDK's asynchronous retry
 * loop, see {@link LogicalCall}) against the call object, and the interceptor binds it, through {@code Chain.call()}
 * (OkHttp 3.9 and later), while it begins the exchange. Nothing of the call or its callback is changed.
 */
public final class OkHttpInstrumentation implements HookInstrumentation {
  static final String HELPER_PACKAGE = "dev.llmotel.hook.okhttp.helper.";
  /** The {@link dev.llmotel.bootstrap.Bridges} slot the builder advice calls (a constant: inlined into the advice). */
  static final String BUILDER_SLOT = "okhttp-3.0/builder";
  /** The slot the enqueue advice calls. */
  static final String ENQUEUE_SLOT = "okhttp-3.0/enqueue";
  static final String BUILDER = "okhttp3.OkHttpClient$Builder";
  static final String[] REAL_CALLS = {"okhttp3.RealCall", "okhttp3.internal.connection.RealCall"};

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public String[] typeNames() {
    return new String[] {BUILDER, REAL_CALLS[0], REAL_CALLS[1]};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice = new LinkedHashMap<>();
    advice.put(isConstructor().and(isDeclaredBy(named(BUILDER))), OkHttpBuilderAdvice.class.getName());
    advice.put(named("enqueue").and(takesArguments(1)).and(takesArgument(0, named("okhttp3.Callback")))
        .and(isDeclaredBy(named(REAL_CALLS[0]).or(named(REAL_CALLS[1])))), OkHttpEnqueueAdvice.class.getName());
    return advice;
  }

  @Override
  public String[] helperPackages() {
    return new String[] {HELPER_PACKAGE};
  }

  @Override
  public void install() {
    HelperLoaders.registerHelperPackages(HELPER_PACKAGE);
    PerLoaderHelpers<ObjectHook> customizers = new PerLoaderHelpers<>(HELPER_PACKAGE + "BuilderCustomizer",
        ObjectHook.class);
    Bridges.register(ENQUEUE_SLOT, new EnqueueHook());
    Bridges.register(BUILDER_SLOT, new BuilderHook(customizers));
  }

  /**
   * Hands the application's builder to the customizer in its loader; a class rather than a lambda, so installing
   * spins no lambda on the application's main thread.
   */
  static final class BuilderHook implements ObjectHook {
    private final PerLoaderHelpers<ObjectHook> customizers;

    BuilderHook(PerLoaderHelpers<ObjectHook> customizers) {
      this.customizers = customizers;
    }

    @Override
    public void apply(Object builder) {
      try {
        ObjectHook customizer = customizers.get(builder.getClass().getClassLoader());
        if (customizer != null) customizer.apply(builder);
      } catch (Throwable ignored) {
        // the application's builder stays as it was
      }
    }
  }

  /** Notes the logical call open on the enqueuing thread against the call being queued; nothing when none is. */
  static final class EnqueueHook implements ObjectHook {
    @Override
    public void apply(Object call) {
      LogicalCall current = LogicalCall.current();
      if (current != null) LogicalCall.carry(call, current);
    }
  }
}
