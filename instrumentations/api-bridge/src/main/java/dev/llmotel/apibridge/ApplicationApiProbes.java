package dev.llmotel.apibridge;

import dev.llmotel.bootstrap.ObjectHook;
import dev.llmotel.telemetry.ParentProbe;
import dev.llmotel.telemetry.ParentSpan;
import java.lang.ref.WeakReference;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The {@link ParentProbe} over every application class loader whose OpenTelemetry API has been initialised. A loader
 * is only recorded when its API initialises (cheap, loads nothing: the API may be in the middle of its own static
 * initialisation); the helper that reads {@code Span.current()} there is created on the first LLM call that asks.
 * Registered once with {@link dev.llmotel.telemetry.ParentProbes}; also the {@link ObjectHook} told of initialised
 * API classes.
 */
final class ApplicationApiProbes implements ParentProbe, ObjectHook {
  private final Function<ClassLoader, ParentProbe> probes;
  private final CopyOnWriteArrayList<WeakReference<ClassLoader>> loaders =
      new CopyOnWriteArrayList<WeakReference<ClassLoader>>();
  private volatile boolean bootstrapLoader;

  /** @param probes the helper probe for an application loader (null loader: bootstrap), or null; called lazily */
  ApplicationApiProbes(Function<ClassLoader, ParentProbe> probes) {
    this.probes = probes;
  }

  /** @param target a class of the application's API that was just initialised */
  @Override
  public void apply(Object target) {
    if (target instanceof Class) record(((Class<?>) target).getClassLoader());
  }

  /** Remembers an application loader that has the API (null: the bootstrap loader). */
  void record(ClassLoader loader) {
    if (loader == null) {
      bootstrapLoader = true;
      return;
    }
    if (isRecorded(loader)) return;
    synchronized (loaders) {
      if (isRecorded(loader)) return;
      for (WeakReference<ClassLoader> ref : loaders) {
        if (ref.get() == null) loaders.remove(ref);
      }
      loaders.add(new WeakReference<ClassLoader>(loader));
    }
  }

  private boolean isRecorded(ClassLoader loader) {
    for (WeakReference<ClassLoader> ref : loaders) {
      if (ref.get() == loader) return true;
    }
    return false;
  }

  /** Number of live loaders recorded (for tests and diagnostics). */
  int recordedLoaders() {
    int n = bootstrapLoader ? 1 : 0;
    for (WeakReference<ClassLoader> ref : loaders) {
      if (ref.get() != null) n++;
    }
    return n;
  }

  @Override
  public ParentSpan currentSpan() {
    for (WeakReference<ClassLoader> ref : loaders) {
      ClassLoader loader = ref.get();
      if (loader == null) continue;
      ParentSpan span = currentSpan(loader);
      if (span != null) return span;
    }
    return bootstrapLoader ? currentSpan(null) : null;
  }

  private ParentSpan currentSpan(ClassLoader loader) {
    try {
      ParentProbe probe = probes.apply(loader);
      return probe == null ? null : probe.currentSpan();
    } catch (Throwable t) {
      return null;
    }
  }
}
