package dev.llmotel.hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Defines hook helper classes (classes compiled against a library the application brings, such as an OkHttp
 * {@code Interceptor}) in a small child class loader of the application's loader. The helper sees the application's
 * copy of the library through its parent, and the agent's own classes ({@code dev.llmotel.*}) through the agent's
 * loader; nothing is injected into the application's loader, and no application class can see the helper.
 */
public final class HelperLoaders {
  private static final CopyOnWriteArrayList<String> HELPER_PREFIXES = new CopyOnWriteArrayList<>();
  private static final Map<ClassLoader, WeakReference<HelperLoader>> LOADERS = new WeakHashMap<>();
  private static final Object BOOTSTRAP_KEY = new Object();
  private static volatile HelperLoader bootstrapHelper;

  private HelperLoaders() {}

  /** Declares class-name prefixes that are helper classes. */
  public static void registerHelperPackages(String... prefixes) {
    for (String p : prefixes) HELPER_PREFIXES.addIfAbsent(p);
  }

  /**
   * Returns a new instance (public no-arg constructor) of a helper class, defined for the given application loader.
   */
  public static Object newInstance(ClassLoader applicationLoader, String helperClassName) throws Exception {
    return helperLoader(applicationLoader).loadClass(helperClassName).getDeclaredConstructor().newInstance();
  }

  /** The helper loader for an application loader (created once, kept while its helpers are in use). */
  public static ClassLoader helperLoader(ClassLoader applicationLoader) {
    if (applicationLoader == null) {
      HelperLoader h = bootstrapHelper;
      if (h == null) {
        synchronized (BOOTSTRAP_KEY) {
          if (bootstrapHelper == null) bootstrapHelper = new HelperLoader(null);
          h = bootstrapHelper;
        }
      }
      return h;
    }
    synchronized (LOADERS) {
      WeakReference<HelperLoader> ref = LOADERS.get(applicationLoader);
      HelperLoader h = ref == null ? null : ref.get();
      if (h == null) {
        h = new HelperLoader(applicationLoader);
        LOADERS.put(applicationLoader, new WeakReference<>(h));
      }
      return h;
    }
  }

  /** True for class loaders the agent made (its own and helper loaders), which are never instrumented. */
  public static boolean isAgentLoader(ClassLoader loader) {
    return loader instanceof HelperLoader || (loader != null && loader == HelperLoaders.class.getClassLoader());
  }

  static boolean isHelperClass(String name) {
    for (String p : HELPER_PREFIXES) {
      if (name.startsWith(p)) return true;
    }
    return false;
  }

  static final class HelperLoader extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final ClassLoader agentLoader = HelperLoaders.class.getClassLoader();

    HelperLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          if (isHelperClass(name)) {
            c = defineHelper(name);
          } else if (name.startsWith("dev.llmotel.") && !name.startsWith("dev.llmotel.bootstrap.")) {
            c = agentLoader.loadClass(name);
          } else {
            return super.loadClass(name, resolve);
          }
        }
        if (resolve) resolveClass(c);
        return c;
      }
    }

    private Class<?> defineHelper(String name) throws ClassNotFoundException {
      String resource = name.replace('.', '/') + ".class";
      try (InputStream in = agentLoader.getResourceAsStream(resource)) {
        if (in == null) throw new ClassNotFoundException(name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        byte[] bytes = out.toByteArray();
        return defineClass(name, bytes, 0, bytes.length, HelperLoaders.class.getProtectionDomain());
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }
  }
}
