package dev.llmotel.telemetry;

import java.util.concurrent.CopyOnWriteArrayList;

/** The registered {@link ParentProbe}s, asked in order when an LLM span starts. */
public final class ParentProbes {
  private static final CopyOnWriteArrayList<ParentProbe> PROBES = new CopyOnWriteArrayList<>();

  private ParentProbes() {}

  public static void register(ParentProbe probe) {
    PROBES.addIfAbsent(probe);
  }

  public static void unregister(ParentProbe probe) {
    PROBES.remove(probe);
  }

  /** The first current span any probe reports, or null. */
  public static ParentSpan current() {
    for (ParentProbe probe : PROBES) {
      try {
        ParentSpan span = probe.currentSpan();
        if (span != null) return span;
      } catch (Throwable ignored) {
        // a probe never breaks an LLM call
      }
    }
    return null;
  }
}
