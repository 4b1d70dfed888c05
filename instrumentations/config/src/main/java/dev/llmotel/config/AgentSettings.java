package dev.llmotel.config;

import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The agent's own settings, read the OpenTelemetry way: system property {@code otel.instrumentation.llm.x-y} wins over
 * environment variable {@code OTEL_INSTRUMENTATION_LLM_X_Y}. A malformed value logs one line naming the setting (once,
 * however often it is read) and the default is used; the application always starts.
 */
public final class AgentSettings {
  private final Function<String, String> sysProps;
  private final Map<String, String> env;
  /** Settings already named in a warning: one read per hook class may ask for the same setting twice. */
  private final Set<String> warned = Collections.synchronizedSet(new HashSet<String>());

  /** @param sysProps the system properties, or null for {@link System#getProperty(String)} */
  public AgentSettings(Function<String, String> sysProps, Map<String, String> env) {
    this.sysProps = sysProps;
    this.env = env;
  }

  public static AgentSettings fromEnvironment() {
    // no reader: System.getProperty itself, not a method reference, so premain spins no lambda for it
    return new AgentSettings(null, System.getenv());
  }

  /** The raw value of a dotted property name, from system properties then the environment; null when unset. */
  public String get(String property) {
    String v = sysProps == null ? System.getProperty(property) : sysProps.apply(property);
    if (v == null) v = env.get(envName(property));
    return v == null || v.trim().isEmpty() ? null : v.trim();
  }

  public boolean getBoolean(String property, boolean defaultValue) {
    String v = get(property);
    if (v == null) return defaultValue;
    if ("true".equalsIgnoreCase(v)) return true;
    if ("false".equalsIgnoreCase(v)) return false;
    if (warned.add(property)) {
      AgentLog.warn("ignoring " + names(property) + "=" + v + " (expected true or false); using " + defaultValue);
    }
    return defaultValue;
  }

  public long getLong(String property, long defaultValue, long min, long max) {
    String v = get(property);
    if (v == null) return defaultValue;
    try {
      long parsed = Long.parseLong(v);
      if (parsed >= min && parsed <= max) return parsed;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    if (warned.add(property)) {
      AgentLog.warn("ignoring " + names(property) + "=" + v + " (expected a whole number from " + min + " to " + max
          + "); using " + defaultValue);
    }
    return defaultValue;
  }

  /** Both spellings of a setting, for messages: {@code otel.x.y / OTEL_X_Y}. */
  static String names(String property) {
    return property + " / " + envName(property);
  }

  /** {@code otel.instrumentation.llm.max-event-bytes} → {@code OTEL_INSTRUMENTATION_LLM_MAX_EVENT_BYTES}. */
  static String envName(String property) {
    return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
