package dev.llmotel.hook;

import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One hook on one library: which classes and methods get which advice, and what fills the {@link
 * dev.llmotel.bootstrap.Bridges} slot the advice calls. Advice classes reference only JDK types and
 * {@code dev.llmotel.bootstrap} types; anything that needs the library's own types lives in a helper package
 * (see {@link #helperPackages()}) defined per application class loader by {@link HelperLoaders}.
 * Registered through {@code META-INF/services/dev.llmotel.hook.HookInstrumentation}.
 */
public interface HookInstrumentation {
  /** Short name for configuration: {@code otel.instrumentation.llm.<name>.enabled}. */
  String name();

  /**
   * The binary names of the classes to transform ({@code okhttp3.OkHttpClient$Builder}). Exact names only: the
   * installer checks every class load against a hash set, so hooks cost nothing for the classes they do not name.
   */
  String[] typeNames();

  /** Method matcher to the binary name of the advice class applied to the matched methods. */
  Map<ElementMatcher<? super MethodDescription>, String> advice();

  /** Prefixes of class names ({@code dev.llmotel.hook.okhttp.helper.}) that must be defined per application loader. */
  String[] helperPackages();

  /** Fills this hook's bridge slot. Called once, before any class is transformed. */
  void install();
}
