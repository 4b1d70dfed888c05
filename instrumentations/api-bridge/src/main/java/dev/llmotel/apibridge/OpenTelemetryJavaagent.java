package dev.llmotel.apibridge;

import dev.llmotel.config.AgentLog;

/**
 * Whether the official OpenTelemetry Java agent is attached too. It bridges the application's API itself, so ours
 * must then leave {@code GlobalOpenTelemetry} alone. Detected, once, by its classes: its premain class on the system
 * class path, its bootstrap classes on the bootstrap class path.
 */
final class OpenTelemetryJavaagent {
  static final String[] MARKER_CLASSES = {
    "io.opentelemetry.javaagent.OpenTelemetryAgent", "io.opentelemetry.javaagent.bootstrap.AgentInitializer"
  };

  /** Tells whether a class is visible. */
  interface ClassLookup {
    boolean isVisible(String className);
  }

  private final ClassLookup lookup;
  private volatile Boolean attached;

  OpenTelemetryJavaagent() {
    this(null); // visibleFromSystemOrBootstrap, not a method reference: premain spins no lambda for it
  }

  OpenTelemetryJavaagent(ClassLookup lookup) {
    this.lookup = lookup;
  }

  boolean isAttached() {
    Boolean a = attached;
    if (a == null) {
      a = detect();
      attached = a;
      if (a) AgentLog.info("OpenTelemetry Java agent detected: it bridges the application's OpenTelemetry API");
    }
    return a;
  }

  private boolean detect() {
    for (String name : MARKER_CLASSES) {
      try {
        if (lookup == null ? visibleFromSystemOrBootstrap(name) : lookup.isVisible(name)) return true;
      } catch (Throwable ignored) {
        // not visible
      }
    }
    return false;
  }

  private static boolean visibleFromSystemOrBootstrap(String name) {
    return isLoadable(name, null) || isLoadable(name, ClassLoader.getSystemClassLoader());
  }

  private static boolean isLoadable(String name, ClassLoader loader) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (Throwable t) {
      return false;
    }
  }
}
