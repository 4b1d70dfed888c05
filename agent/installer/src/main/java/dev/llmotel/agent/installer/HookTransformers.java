package dev.llmotel.agent.installer;

import dev.llmotel.config.AgentLog;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.HookInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Inlines each {@link HookInstrumentation}'s advice into the classes it names. A plain {@link ClassFileTransformer}
 * with a hash lookup on the class name: classes no hook names are never parsed, which keeps start-up and class loading
 * as cheap as an agent can make them. Advice references only JDK and bootstrap-bridge types; classes in named modules
 * (java.net.http) get a read edge to the bridge. A class that cannot be transformed is left exactly as it was.
 * ByteBuddy is touched only through {@link HookWeaver}, built on first use (the warm-up on the init thread, or the
 * first hooked class): installing the transformer on the premain thread loads none of it.
 */
final class HookTransformers implements ClassFileTransformer {
  private final Map<String, List<HookInstrumentation>> byInternalName = new ConcurrentHashMap<>();
  private final List<HookInstrumentation> hooks = new CopyOnWriteArrayList<>();
  private final Instrumentation inst;
  private final ClassLoader agentLoader = HookTransformers.class.getClassLoader();
  private volatile HookWeaver weaver;
  /** Opens the weave cache on first use (null: no cache). */
  private final Callable<WeaveCache> cacheOpener;
  /** Claimed by the thread that opens the cache; {@link #cacheOpened} counts down once it is ({@link #cache} final). */
  private final AtomicBoolean cacheOpening = new AtomicBoolean();
  private final CountDownLatch cacheOpened = new CountDownLatch(1);
  private volatile WeaveCache cache;
  /**
   * How long a thread that needs the cache while another opens it waits (usually a few ms of file I/O); past it, its
   * class is woven without the cache. (The opening thread itself, and each hooked class's read or write of its entry,
   * take as long as the file system does: a hung home directory would hold them up as it would any file access.)
   */
  static final long OPEN_WAIT_MILLIS = 250;

  HookTransformers(Instrumentation inst) {
    this(inst, null);
  }

  /** @param cacheOpener opens the {@link WeaveCache} (once, by whichever thread needs it first), or null: none */
  HookTransformers(Instrumentation inst, Callable<WeaveCache> cacheOpener) {
    this.inst = inst;
    this.cacheOpener = cacheOpener;
  }

  /**
   * The weave cache, or null: none, or it could not be opened. Opened by the first thread that needs it, holding no
   * lock; a thread that needs it meanwhile waits for it at most {@link #OPEN_WAIT_MILLIS}, then goes on without it.
   */
  WeaveCache cache() {
    if (cacheOpened.getCount() == 0) return cache;
    if (cacheOpener == null) return null;
    if (!cacheOpening.compareAndSet(false, true)) {
      try {
        cacheOpened.await(OPEN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return cache; // null if still opening
    }
    try {
      cache = cacheOpener.call();
    } catch (Throwable t) {
      AgentLog.debug("weave cache off: " + t);
    } finally {
      cacheOpened.countDown();
    }
    return cache;
  }

  /**
   * The ByteBuddy half, built by whichever thread needs it first. Built outside any lock (a transformer may run while
   * its thread holds a class-loading lock): two threads that get here together may both build one, one is kept.
   */
  private HookWeaver weaver() {
    HookWeaver w = weaver;
    if (w != null) return w;
    w = new HookWeaver(agentLoader);
    synchronized (this) {
      if (weaver == null) weaver = w;
      return weaver;
    }
  }

  /** Fills the hooks' bridge slots and starts transforming the classes they name. */
  void install(List<HookInstrumentation> toInstall) {
    for (HookInstrumentation hook : toInstall) {
      HelperLoaders.registerHelperPackages(hook.helperPackages());
      hook.install();
      for (String name : hook.typeNames()) {
        // get-then-put rather than computeIfAbsent with a lambda: installing spins no lambda on the main thread
        String internalName = name.replace('.', '/');
        List<HookInstrumentation> named = byInternalName.get(internalName);
        if (named == null) {
          named = new CopyOnWriteArrayList<>();
          List<HookInstrumentation> earlier = byInternalName.putIfAbsent(internalName, named);
          if (earlier != null) named = earlier;
        }
        named.add(hook);
      }
      hooks.add(hook);
    }
    inst.addTransformer(this, true);
    retransformLoaded();
  }

  /**
   * Parses the advice of the hooks whose classes the application can load ahead of the first hooked class, so the
   * application thread that first loads one does not pay for it; the first hook warmed also has its advice woven, the
   * woven bytes dropped, into one of its classes read as a resource, which loads ByteBuddy's weaving classes once for
   * all hooks (weaving the others too would only cost CPU on the cores the application is starting on). Safe to run
   * concurrently with real transformations.
   *
   * @param libraries true: the hooks whose library is on the application's class path (it is there to be used, and
   *     soon: warmed before the SDK starts); false: the hooks of the JDK's own clients, present in every JVM whether
   *     the application uses them or not (warmed once the SDK is up, so they do not compete with the application's
   *     start and the SDK's)
   * @return how many hooks were warmed
   */
  int warmUp(boolean libraries) {
    int warmed = 0;
    if (exiting) return 0; // nothing will be woven any more
    try {
      // only hooks whose classes the application can load (the JDK's, or on its class path): every other hook's
      // advice would be parsed for nothing. A hook whose library sits in a nested loader (fat jar, servlet container)
      // is simply woven without a warm-up.
      List<HookInstrumentation> present = new ArrayList<>();
      for (HookInstrumentation hook : hooks) {
        if (presence(hook) == (libraries ? LIBRARY : JDK)) present.add(hook);
      }
      String cached = cachedClass(present);
      String why = cached == null || cached.isEmpty() ? null : cached + " is in the weave cache";
      if (cached == null && !libraries) {
        // None of the JDK clients' classes is in the cache, but an earlier run with this agent jar wove other classes
        // (its libraries', maybe in a nested loader): it did not use the JDK clients then, and this run likely does
        // not either. (Their one sign used to be HttpURLConnection, woven for the exit's export; see exiting().)
        WeaveCache c = cache();
        if (c != null && c.hasAnyEntry()) why = "the weave cache holds an earlier run's classes";
      }
      if (why != null) {
        // an earlier run of this application wove its classes: they come from the cache, and a class it did not load
        // then (likely not now either) is woven when it comes, as one in a nested loader is
        AgentLog.debug("no warm-up of the " + (libraries ? "libraries'" : "JDK clients'") + " hooks: " + why);
        return 0;
      }
      StringBuilder times = new StringBuilder();
      for (HookInstrumentation hook : present) {
        warmed++;
        long start = System.nanoTime();
        // until one warm-up weave has run to its end (a hook whose classes could not be read, or whose weave failed,
        // leaves it to the next)
        if (weaver().warmUp(hook, !machineryWarm)) machineryWarm = true;
        if (AgentLog.debugEnabled()) times.append(' ').append(hook.name()).append(' ')
            .append((System.nanoTime() - start) / 1_000_000).append(" ms;");
      }
      AgentLog.debug("warmed up " + warmed + " of " + hooks.size() + (libraries ? " hooks (libraries):"
          : " hooks (JDK clients):") + times);
    } catch (Throwable t) {
      AgentLog.debug("warm-up failed: " + t);
    }
    return warmed;
  }

  /**
   * The name of a class of the warm-up's hooks that an earlier run of this application left in the weave cache, for
   * exactly the class file the application has now and the hooks that name it; null when there is none; "" when one
   * of those classes has an entry for another class file only (changed since: a new library or JDK version, woven
   * cold if nothing warms up). Reads class files as resources: no class is loaded.
   */
  private String cachedClass(List<HookInstrumentation> warmUpHooks) {
    WeaveCache c = cache();
    if (c == null) return null;
    ClassLoader system = ClassLoader.getSystemClassLoader();
    String found = null;
    for (HookInstrumentation hook : warmUpHooks) {
      for (String typeName : hook.typeNames()) {
        String internalName = typeName.replace('.', '/');
        List<HookInstrumentation> all = byInternalName.get(internalName);
        // a class no run has woven (not loaded then) is neither found nor changed: its class file is not even read
        if (all == null || !c.hasAnyEntryFor(internalName)) continue;
        byte[] classFile = WeaveCache.resource(system, internalName);
        if (classFile == null) continue;
        if (c.find(internalName, WeaveCache.hookKey(all), classFile, WeaveCache.classFiles(system)) == null) {
          return ""; // it has an entry, for another class file or other hooks: changed since
        }
        if (found == null) found = typeName;
      }
    }
    return found;
  }

  /** Whether a warm-up has woven once (ByteBuddy's weaving classes are loaded). */
  private volatile boolean machineryWarm;

  static final int ABSENT = 0;
  static final int JDK = 1;
  static final int LIBRARY = 2;

  /**
   * {@link #LIBRARY} when one of the classes the hook names is on the application's class path (visible to the
   * system class loader, not to its parent), else {@link #JDK} when one is the JDK's, else {@link #ABSENT} (resource
   * lookups, no class is loaded).
   */
  static int presence(HookInstrumentation hook) {
    ClassLoader system = ClassLoader.getSystemClassLoader();
    ClassLoader platform = system.getParent(); // the platform (9+) or extension (8) loader, which asks the boot loader
    boolean jdk = false;
    for (String name : hook.typeNames()) {
      String resource = name.replace('.', '/') + ".class";
      try {
        if (platform != null && platform.getResource(resource) != null) {
          jdk = true;
        } else if (system.getResource(resource) != null) {
          return LIBRARY;
        }
      } catch (Throwable ignored) {
        // treat as absent
      }
    }
    return jdk ? JDK : ABSENT;
  }

  /** Classes loaded before the agent (rare at premain, usual when attached later) are transformed now. */
  private void retransformLoaded() {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (byInternalName.containsKey(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) loaded.add(c);
    }
    if (loaded.isEmpty()) return;
    try {
      inst.retransformClasses(loaded.toArray(new Class<?>[0]));
    } catch (Throwable t) {
      AgentLog.debug("could not retransform " + loaded + ": " + t);
    }
  }

  /**
   * The JVM is exiting (the agent's shutdown hook began): a hooked class loaded from now on is left as it is (one
   * retransformed is woven as always: its original bytes would otherwise replace the woven ones). What loads
   * one then is, nearly always, the agent's own last export (the JDK's {@code HttpURLConnection}, when a short-lived
   * application exits before any periodic export): weaving it would cost the exit 60-130 ms of ByteBuddy, or a
   * cache read, for calls that are never traced (the agent's own). A call the application would still begin then, on
   * a client it never used before, goes untraced; its span could only have been sent if it ended before the flush.
   */
  void exiting() {
    exiting = true;
  }

  private volatile boolean exiting;

  @Override
  public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
      byte[] classFile) {
    if (internalName == null) return null;
    List<HookInstrumentation> hooks = byInternalName.get(internalName);
    if (hooks == null || HelperLoaders.isAgentLoader(loader)) return null;
    String typeName = internalName.replace('/', '.');
    if (exiting && redefined == null) { // a class retransformed now (another agent, a debugger) keeps its hooks
      AgentLog.debug("left " + typeName + " as it is: the JVM is exiting");
      return null;
    }
    try {
      long start = System.nanoTime();
      WeaveCache c = cache();
      String hookKey = c == null ? null : WeaveCache.hookKey(hooks);
      byte[] result = c == null ? null
          : c.find(internalName, hookKey, classFile, WeaveCache.classFiles(loader));
      boolean fromCache = result != null;
      if (!fromCache) {
        Map<String, byte[]> read = c == null ? null : new LinkedHashMap<>();
        result = weaver().weave(loader, typeName, classFile, hooks, read);
        if (c != null) c.store(internalName, hookKey, classFile, result == null ? WeaveCache.LEFT_AS_IS : result, read);
        if (result == null) return null;
      } else if (result.length == 0) {
        return null; // recorded as left as it is
      }
      if (redefined != null) ReadEdges.add(inst, redefined);
      else ReadEdges.add(inst, loader, typeName);
      AgentLog.debug("instrumented " + typeName + " in " + (System.nanoTime() - start) / 1_000_000 + " ms"
          + (fromCache ? " (from the weave cache)" : ""));
      return result;
    } catch (Throwable t) {
      AgentLog.debug("could not instrument " + typeName + ": " + t);
      return null;
    }
  }
}
