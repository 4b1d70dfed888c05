package dev.llmotel.telemetry;

import dev.llmotel.exchange.CarriedParent;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registered {@link ParentProbe}s, asked in order when an LLM span starts; when none reports a span, the one a hook
 * carried to this thread from the thread that handed the call over ({@link CarriedParent}), which takes its value
 * from here.
 */
public final class ParentProbes {
  private static final CopyOnWriteArrayList<ParentProbe> PROBES = new CopyOnWriteArrayList<>();

  static {
    CarriedParent.install(new Capture());
  }

  /** {@link #current()}, as a class rather than a method reference: no lambda bootstrapped at premain. */
  static final class Capture implements CarriedParent.Capture {
    @Override
    public Object capture() {
      return current();
    }
  }

  private ParentProbes() {}

  /**
   * Installs the capture {@link CarriedParent} uses (this class's initialisation). The agent calls it before any
   * hook is installed, so a call handed to another thread before the first LLM span still carries its parent.
   */
  public static void installCarry() {
    // the static initialiser did the work
  }

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
    Object carried = CarriedParent.current();
    return carried instanceof ParentSpan ? (ParentSpan) carried : null;
  }
}
