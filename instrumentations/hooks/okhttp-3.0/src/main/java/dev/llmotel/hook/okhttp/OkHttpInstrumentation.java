package dev.llmotel.hook.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ObjectHook;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.PerLoaderHelpers;
import dev.llmotel.hook.HookInstrumentation;
import java.util.Collections;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * OkHttp 3.x, 4.x and 5.x: every {@code OkHttpClient.Builder} gets one application interceptor, so sync {@code
 * execute}, async {@code enqueue}, retries and redirects all pass through it (the seam OkHttp itself offers).
 */
public final class OkHttpInstrumentation implements HookInstrumentation {
  static final String HELPER_PACKAGE = "dev.llmotel.hook.okhttp.helper.";
  /** The {@link dev.llmotel.bootstrap.Bridges} slot the builder advice calls (a constant: inlined into the advice). */
  static final String BUILDER_SLOT = "okhttp-3.0/builder";

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public String[] typeNames() {
    return new String[] {"okhttp3.OkHttpClient$Builder"};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(
        isConstructor(), OkHttpBuilderAdvice.class.getName());
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
    Bridges.register(BUILDER_SLOT, (ObjectHook) builder -> {
      try {
        ObjectHook customizer = customizers.get(builder.getClass().getClassLoader());
        if (customizer != null) customizer.apply(builder);
      } catch (Throwable ignored) {
        // the application's builder stays as it was
      }
    });
  }
}
