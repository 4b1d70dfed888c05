package dev.llmotel.apibridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmotel.apibridge.helper.RecordingAppTracing;
import dev.llmotel.apibridge.scenario.ApiOnlyApp;
import dev.llmotel.apibridge.scenario.NoGlobalApp;
import dev.llmotel.apibridge.scenario.OwnImplementationApp;
import dev.llmotel.telemetry.AppTracing;
import dev.llmotel.telemetry.AppTracingRegistry;
import dev.llmotel.testkit.hook.WovenHook;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hook end to end without a JVM agent: each run defines a real API version (1.0.0, a middle one, the newest) in
 * its own application class loader, weaves the advice into it the way the agent's transformer does, and runs an
 * application scenario compiled against 1.0.0 on it, with a recording {@link AppTracing} standing in for the SDK.
 */
class WovenApiTest {
  private static final OpenTelemetryApiInstrumentation INSTRUMENTATION = new OpenTelemetryApiInstrumentation();
  private final RecordingAppTracing tracing = new RecordingAppTracing();

  @BeforeAll
  static void installOnce() {
    InstalledHook.ensure(INSTRUMENTATION);
  }

  @AfterEach
  void uninstall() {
    AppTracingRegistry.install(null, 0);
  }

  static Stream<String> versions() {
    String versions = System.getProperty("otel.api.versions");
    assumeTrue(versions != null, "run through Maven (otel.api.versions)");
    return Arrays.stream(versions.split(","));
  }

  @ParameterizedTest
  @MethodSource("versions")
  void apiOnlyApplicationSpansExportAndLlmSpansNestUnderThem(String version) throws Exception {
    AppTracingRegistry.install(tracing);
    ApplicationLoader app = new ApplicationLoader(version);
    Map<String, Object> out = app.run(ApiOnlyApp.class);

    assertEquals("dev.llmotel.apibridge.helper.BridgedOpenTelemetry", out.get("global"));
    RecordingAppTracing.Recorded request = tracing.named("app.request");
    RecordingAppTracing.Recorded step = tracing.named("app.step");
    assertEquals("app", request.scopeName);
    assertEquals("1.0", request.scopeVersion);
    assertEquals(AppTracing.KIND_SERVER, request.kind);
    assertNull(request.parent);
    assertEquals(1, request.endCalls);
    assertEquals(request.spanId, step.parent.spanId());
    String requestIds = request.traceId + "/" + request.spanId + "/01";
    assertEquals(requestIds, out.get("request"));
    assertEquals(requestIds, out.get("llmParent"), "an LLM call while app.request is current nests under it");
    assertNull(out.get("llmParentAfter"));
    assertEquals("00-" + request.traceId + "-" + request.spanId + "-01", out.get("traceparent"));

    if (minor(version) >= 4) {
      RecordingAppTracing.Recorded lib = tracing.named("lib.span");
      assertEquals("lib", lib.scopeName);
      assertEquals("2.0", lib.scopeVersion);
      assertEquals(lib.traceId + "/" + lib.spanId + "/01", out.get("tracerBuilder"));
    } else {
      assertEquals("absent", out.get("tracerBuilder"));
    }
    assertTrue(app.woven.containsAll(List.of(OpenTelemetryApiInstrumentation.GLOBAL_OPEN_TELEMETRY,
        OpenTelemetryApiInstrumentation.SPAN_CONTEXT_KEY)), "woven: " + app.woven);
  }

  @ParameterizedTest
  @MethodSource("versions")
  void theApplicationsOwnImplementationIsLeftAloneButStillParentsLlmSpans(String version) throws Exception {
    AppTracingRegistry.install(tracing);
    Map<String, Object> out = new ApplicationLoader(version).run(OwnImplementationApp.class);
    assertEquals(true, out.get("leftAlone"));
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736/00f067aa0ba902b7/01", out.get("own"));
    assertEquals(out.get("own"), out.get("llmParent"));
    assertTrue(tracing.spans.isEmpty(), "nothing went through the bridge: " + tracing.spans);
  }

  @ParameterizedTest
  @MethodSource("versions")
  void anApplicationThatNeverCallsTheGlobalStillParentsLlmSpans(String version) throws Exception {
    ApplicationLoader app = new ApplicationLoader(version);
    Map<String, Object> out = app.run(NoGlobalApp.class);
    assertNull(out.get("llmParentBefore"));
    assertEquals("0af7651916cd43dd8448eb211c80319c/b7ad6b7169203331/01/remote", out.get("llmParent"));
    assertFalse(app.woven.contains(OpenTelemetryApiInstrumentation.GLOBAL_OPEN_TELEMETRY),
        "GlobalOpenTelemetry never loaded");
    assertTrue(app.woven.contains(OpenTelemetryApiInstrumentation.SPAN_CONTEXT_KEY));
  }

  private static int minor(String version) {
    return Integer.parseInt(version.split("\\.")[1]);
  }

  /** {@code OpenTelemetryApiInstrumentation.install()} fills static slots: once per JVM. */
  static final class InstalledHook {
    private static boolean installed;

    static synchronized void ensure(OpenTelemetryApiInstrumentation instrumentation) {
      if (!installed) instrumentation.install();
      installed = true;
    }
  }

  /**
   * An application class loader: one API version and the scenario classes, child-first; the agent's classes (and
   * the rest of the test class path) from the parent. GlobalOpenTelemetry and SpanContextKey are woven as the agent's
   * transformer would.
   */
  static final class ApplicationLoader extends URLClassLoader {
    static {
      registerAsParallelCapable();
    }

    final Set<String> woven = ConcurrentHashMap.newKeySet();

    ApplicationLoader(String version) throws IOException {
      super(urls(version), WovenApiTest.class.getClassLoader());
    }

    private static URL[] urls(String version) throws IOException {
      File dir = new File(System.getProperty("otel.api.dir"), version);
      File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
      assertNotNull(jars, "no API jars in " + dir);
      List<URL> urls = new ArrayList<>();
      for (File jar : jars) urls.add(jar.toURI().toURL());
      urls.add(ApiOnlyApp.class.getProtectionDomain().getCodeSource().getLocation());
      return urls.toArray(new URL[0]);
    }

    Map<String, Object> run(Class<?> scenario) throws Exception {
      Class<?> type = loadClass(scenario.getName());
      assertEquals(this, type.getClassLoader());
      @SuppressWarnings("unchecked")
      Callable<Map<String, Object>> app = (Callable<Map<String, Object>>) type.getDeclaredConstructor().newInstance();
      return app.call();
    }

    private static boolean childFirst(String name) {
      return name.startsWith("io.opentelemetry.") || name.startsWith("dev.llmotel.apibridge.scenario.")
          || name.startsWith("io/opentelemetry/") || name.startsWith("dev/llmotel/apibridge/scenario/");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!childFirst(name)) return super.loadClass(name, resolve);
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) c = findClass(name);
        if (resolve) resolveClass(c);
        return c;
      }
    }

    @Override
    public URL getResource(String name) {
      return childFirst(name) ? findResource(name) : super.getResource(name);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      URL url = findResource(name.replace('.', '/') + ".class");
      if (url == null) throw new ClassNotFoundException(name);
      try (InputStream in = url.openStream()) {
        byte[] bytes = in.readAllBytes();
        if (Arrays.asList(INSTRUMENTATION.typeNames()).contains(name)) {
          bytes = WovenHook.weave(this, name, bytes, INSTRUMENTATION.advice()); // as the agent's transformer
          woven.add(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }

  }
}
