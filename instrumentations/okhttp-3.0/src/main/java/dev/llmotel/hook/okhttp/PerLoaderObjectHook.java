package dev.llmotel.hook.okhttp;

import dev.llmotel.bootstrap.ObjectHook;
import dev.llmotel.hook.HelperLoaders;
import java.util.Map;
import java.util.WeakHashMap;

/** Dispatches to a helper {@link ObjectHook} defined for the target's own class loader. Never throws. */
final class PerLoaderObjectHook implements ObjectHook {
  private final String helperClass;
  private final Map<ClassLoader, ObjectHook> byLoader = new WeakHashMap<>();
  private volatile ObjectHook forBootstrap;

  PerLoaderObjectHook(String helperClass) {
    this.helperClass = helperClass;
  }

  @Override
  public void apply(Object target) {
    try {
      ObjectHook hook = hookFor(target.getClass().getClassLoader());
      if (hook != null) hook.apply(target);
    } catch (Throwable ignored) {
      // the application's builder stays as it was
    }
  }

  private ObjectHook hookFor(ClassLoader loader) throws Exception {
    if (loader == null) {
      if (forBootstrap == null) forBootstrap = (ObjectHook) HelperLoaders.newInstance(null, helperClass);
      return forBootstrap;
    }
    synchronized (byLoader) {
      ObjectHook hook = byLoader.get(loader);
      if (hook == null) {
        hook = (ObjectHook) HelperLoaders.newInstance(loader, helperClass);
        byLoader.put(loader, hook);
      }
      return hook;
    }
  }
}
