package dev.llmotel.hook;

import dev.llmotel.config.AgentLog;
import java.lang.ref.SoftReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One instance of a helper class per application class loader, created on first use by {@link HelperLoaders}. The
 * loader is held weakly and the helper softly: a helper in use stays, while an application loader nobody uses any more
 * (an undeployed web application) is not kept alive for good. A helper that cannot be created is not retried.
 * No lock is held while a helper is created, since creating one loads the application's API classes.
 */
public final class PerLoaderHelpers<T> {
  private static final Object FAILED = new Object();

  private final String helperClass;
  private final Class<T> type;
  private final Map<ClassLoader, SoftReference<Object>> byLoader = new WeakHashMap<ClassLoader, SoftReference<Object>>();
  private volatile SoftReference<Object> forBootstrap;

  public PerLoaderHelpers(String helperClass, Class<T> type) {
    this.helperClass = helperClass;
    this.type = type;
  }

  /** The helper for this application loader (null: the bootstrap loader), or null if it cannot be made. */
  public T get(ClassLoader loader) {
    Object helper = cached(loader);
    if (helper == null) {
      helper = create(loader);
      SoftReference<Object> ref = new SoftReference<Object>(helper);
      if (loader == null) {
        forBootstrap = ref;
      } else {
        synchronized (byLoader) {
          byLoader.put(loader, ref);
        }
      }
    }
    return helper == FAILED ? null : type.cast(helper);
  }

  private Object cached(ClassLoader loader) {
    SoftReference<Object> ref;
    if (loader == null) {
      ref = forBootstrap;
    } else {
      synchronized (byLoader) {
        ref = byLoader.get(loader);
      }
    }
    return ref == null ? null : ref.get();
  }

  private Object create(ClassLoader loader) {
    try {
      Object helper = HelperLoaders.newInstance(loader, helperClass);
      if (type.isInstance(helper)) return helper;
      AgentLog.debug(helperClass + " is not a " + type.getName() + " for " + loader);
    } catch (Throwable t) {
      AgentLog.debug("no " + helperClass + " for " + loader + ": " + t);
    }
    return FAILED;
  }
}
