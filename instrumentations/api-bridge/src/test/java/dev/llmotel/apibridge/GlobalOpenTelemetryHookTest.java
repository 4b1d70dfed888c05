package dev.llmotel.apibridge;

import dev.llmotel.hook.PerLoaderHelpers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmotel.bootstrap.ValueHook;
import dev.llmotel.hook.HelperLoaders;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import org.junit.jupiter.api.Test;

/** The agent-side hook with real helper loaders over the test's API 1.0.0. */
class GlobalOpenTelemetryHookTest {
  static {
    HelperLoaders.registerHelperPackages(OpenTelemetryApiInstrumentation.HELPER_PACKAGE);
  }

  private final ApplicationApiProbes probes = new ApplicationApiProbes(loader -> null);

  private GlobalOpenTelemetryHook hook(boolean javaagentAttached) {
    return new GlobalOpenTelemetryHook(probes, new OpenTelemetryJavaagent(name -> javaagentAttached),
        new PerLoaderHelpers<>(OpenTelemetryApiInstrumentation.HELPER_PACKAGE + "GlobalOpenTelemetryReplacement",
            ValueHook.class));
  }

  @Test
  void theNoopBecomesABridgeDefinedForTheApplicationsLoader() {
    GlobalOpenTelemetryHook hook = hook(false);
    Object replaced = hook.replace(OpenTelemetry.noop(), GlobalOpenTelemetry.class);
    OpenTelemetry bridge = (OpenTelemetry) replaced;
    assertNotSame(OpenTelemetry.noop(), bridge);
    assertNotSame(TracerProvider.noop(), bridge.getTracerProvider());
    assertEquals("dev.llmotel.apibridge.helper.BridgedOpenTelemetry", bridge.getClass().getName());
    assertSame(HelperLoaders.helperLoader(GlobalOpenTelemetry.class.getClassLoader()),
        bridge.getClass().getClassLoader());
    assertSame(bridge, hook.replace(OpenTelemetry.noop(), GlobalOpenTelemetry.class));
    assertEquals(1, probes.recordedLoaders(), "the loader is remembered for the parent probe");
  }

  @Test
  void withTheOfficialAgentNothingIsReplacedButTheLoaderIsStillProbed() {
    GlobalOpenTelemetryHook hook = hook(true);
    OpenTelemetry noop = OpenTelemetry.noop();
    assertSame(noop, hook.replace(noop, GlobalOpenTelemetry.class));
    assertEquals(1, probes.recordedLoaders());
  }

  @Test
  void nullsPassThrough() {
    GlobalOpenTelemetryHook hook = hook(false);
    assertNull(hook.replace(null, GlobalOpenTelemetry.class));
    OpenTelemetry noop = OpenTelemetry.noop();
    assertSame(noop, hook.replace(noop, null));
    assertEquals(0, probes.recordedLoaders());
  }
}
