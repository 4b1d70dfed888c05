package dev.llmotel.hook;

import dev.llmotel.config.AgentLog;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
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
  /**
   * The last application loader looked up (held weakly) and its helper (softly): a hook called on every request of a
   * library (openai-java builds an OkHttp client per call) takes no lock in the usual case, one copy of the library.
   * Null until the first lookup.
   */
  private volatile Last last;

  private static final class Last {
    final WeakReference<ClassLoader> loader;
    final SoftReference<Object> helper;

    Last(ClassLoader loader, SoftReference<Object> helper) {
      this.loader = new WeakReference<ClassLoader>(loader);
      this.helper = helper;
    }
  }

  public PerLoaderHelpers(String helperClass, Class<T> type) {
    this.helperClass = helperClass;
    this.type = type;
  }

  /** The helper for this application loader (null: the bootstrap loader), or null if it cannot be made. */
  public T get(ClassLoader loader) {
    Last seen = last;
    Object helper = seen != null && loader != null && seen.loader.get() == loader ? seen.helper.get() : null;
    if (helper == null) helper = lookUp(loader);
    return helper == FAILED ? null : type.cast(helper);
  }

  private Object lookUp(ClassLoader loader) {
    SoftReference<Object> ref;
    if (loader == null) {
      ref = forBootstrap;
    } else {
      synchronized (byLoader) {
        ref = byLoader.get(loader);
      }
    }
    Object helper = ref == null ? null : ref.get();
    if (helper == null) {
      helper = create(loader);
      ref = new SoftReference<Object>(helper);
      if (loader == null) {
        forBootstrap = ref;
      } else {
        synchronized (byLoader) {
          byLoader.put(loader, ref);
        }
      }
    }
    if (loader != null) last = new Last(loader, ref);
    return helper;
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
