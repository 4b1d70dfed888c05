package dev.llmotel.apibridge;

import dev.llmotel.hook.PerLoaderHelpers;

import dev.llmotel.bootstrap.ValueHook;

/**
 * Fills the {@code api-bridge/global-get} bridge slot: sees each value {@code GlobalOpenTelemetry.get()} returns and hands it
 * to the replacement helper of the application loader it comes from (which swaps a no-op for the bridge). Leaves every
 * value alone while the official OpenTelemetry agent is attached. Also records the loader for the parent probe.
 */
final class GlobalOpenTelemetryHook implements ValueHook {
  private final ApplicationApiProbes probes;
  private final OpenTelemetryJavaagent javaagent;
  private final PerLoaderHelpers<ValueHook> replacements;

  GlobalOpenTelemetryHook(ApplicationApiProbes probes, OpenTelemetryJavaagent javaagent,
      PerLoaderHelpers<ValueHook> replacements) {
    this.probes = probes;
    this.javaagent = javaagent;
    this.replacements = replacements;
  }

  @Override
  public Object replace(Object value, Class<?> origin) {
    try {
      if (value == null || origin == null) return value;
      ClassLoader loader = origin.getClassLoader();
      probes.record(loader);
      if (javaagent.isAttached()) return value;
      ValueHook replacement = replacements.get(loader);
      return replacement == null ? value : replacement.replace(value, origin);
    } catch (Throwable t) {
      return value;
    }
  }
}
