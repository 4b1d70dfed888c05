package dev.llmotel.agent.installer;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.config.AgentLog;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.HookInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;
import static net.bytebuddy.matcher.ElementMatchers.none;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Inlines each {@link HookInstrumentation}'s advice into the classes it names. A plain {@link ClassFileTransformer}
 * with a hash lookup on the class name: classes no hook names are never parsed, which keeps start-up and class loading
 * as cheap as an agent can make them. Advice references only JDK and bootstrap-bridge types; classes in named modules
 * (java.net.http) get a read edge to the bridge. A class that cannot be transformed is left exactly as it was.
 */
final class HookTransformers implements ClassFileTransformer {
  private final Map<String, List<HookInstrumentation>> byInternalName = new ConcurrentHashMap<>();
  private final List<HookInstrumentation> hooks = new CopyOnWriteArrayList<>();
  private final Instrumentation inst;
  private final ClassLoader agentLoader = HookTransformers.class.getClassLoader();
  private final ClassFileLocator agentLocator = ClassFileLocator.ForClassLoader.of(agentLoader);
  private final ByteBuddy byteBuddy = new ByteBuddy().with(TypeValidation.DISABLED);
  /** The agent's own classes (the advice), resolved once: its cache is thread-safe. */
  private final TypePool agentPool = TypePool.Default.WithLazyResolution.of(agentLocator);
  /**
   * Each advice class parsed once, by the warm-up or by the first class it is woven into, then reused for every
   * class it is woven into (an {@link Advice} is immutable): before, every woven class parsed its advice again.
   */
  private final Map<String, Advice> advice = new ConcurrentHashMap<>();

  HookTransformers(Instrumentation inst) {
    this.inst = inst;
  }

  /** Fills the hooks' bridge slots and starts transforming the classes they name. */
  void install(List<HookInstrumentation> toInstall) {
    for (HookInstrumentation hook : toInstall) {
      HelperLoaders.registerHelperPackages(hook.helperPackages());
      hook.install();
      for (String name : hook.typeNames()) {
        byInternalName.computeIfAbsent(name.replace('.', '/'), k -> new CopyOnWriteArrayList<>()).add(hook);
      }
      hooks.add(hook);
    }
    inst.addTransformer(this, true);
    retransformLoaded();
  }

  /**
   * Loads ByteBuddy's advice and weaving classes ahead of the first hooked class, so the application thread that
   * first loads OkHttp does not pay for it. Safe to run concurrently with real transformations.
   */
  void warmUp() {
    try {
      int warmed = 0;
      for (HookInstrumentation hook : hooks) {
        // only hooks whose classes the application can load (the JDK's, or on its class path): every other hook's
        // advice would be compiled for nothing, competing with the application's own start on the same cores. A hook
        // whose library sits in a nested loader (fat jar, servlet container) is simply woven without a warm-up.
        if (!targetPresent(hook)) continue;
        warmed++;
        for (String adviceName : hook.advice().values()) {
          TypeDescription adviceType = agentPool.describe(adviceName).resolve();
          byteBuddy.decorate(adviceType, agentLocator).visit(advice(adviceName).on(none())).make();
        }
      }
      AgentLog.debug("warmed up " + warmed + " of " + hooks.size() + " hooks");
    } catch (Throwable t) {
      AgentLog.debug("warm-up failed: " + t);
    }
  }

  private Advice advice(String adviceName) {
    Advice a = advice.get(adviceName);
    if (a == null) {
      a = Advice.to(agentPool.describe(adviceName).resolve(), agentLocator);
      advice.putIfAbsent(adviceName, a);
    }
    return a;
  }

  /** Whether one of the classes the hook names is visible to the system class loader (a resource lookup, no load). */
  static boolean targetPresent(HookInstrumentation hook) {
    ClassLoader system = ClassLoader.getSystemClassLoader();
    for (String name : hook.typeNames()) {
      try {
        if (system.getResource(name.replace('.', '/') + ".class") != null) return true;
      } catch (Throwable ignored) {
        // treat as absent
      }
    }
    return false;
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

  @Override
  public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
      byte[] classFile) {
    if (internalName == null) return null;
    List<HookInstrumentation> hooks = byInternalName.get(internalName);
    if (hooks == null || HelperLoaders.isAgentLoader(loader)) return null;
    String typeName = internalName.replace('/', '.');
    try {
      long start = System.nanoTime();
      byte[] result = weave(loader, typeName, classFile, hooks);
      if (result == null) return null;
      if (redefined != null) addReadEdge(redefined);
      else addReadEdge(loader, typeName);
      AgentLog.debug("instrumented " + typeName + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
      return result;
    } catch (Throwable t) {
      AgentLog.debug("could not instrument " + typeName + ": " + t);
      return null;
    }
  }

  /** @return the woven class, or null when no hook's methods are there (the class is then left as it is) */
  private byte[] weave(ClassLoader loader, String typeName, byte[] classFile, List<HookInstrumentation> hooks) {
    ClassFileLocator locator = new ClassFileLocator.Compound(
        ClassFileLocator.Simple.of(typeName, classFile),
        ClassFileLocator.ForClassLoader.of(loader),
        agentLocator);
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    TypeDescription type = pool.describe(typeName).resolve();
    DynamicType.Builder<?> builder = byteBuddy.decorate(type, locator);
    int matched = 0;
    for (HookInstrumentation hook : hooks) {
      int before = matched;
      for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : hook.advice().entrySet()) {
        if (type.getDeclaredMethods().filter(e.getKey()).isEmpty()) continue;
        matched++;
        builder = builder.visit(advice(e.getValue()).on(e.getKey()));
      }
      if (matched == before) {
        // a version of the library whose internals differ from what the hook knows: the class stays as it is
        AgentLog.debug("hook " + hook.name() + ": " + typeName + " has none of the methods it advises (a version "
            + "it does not support?); left as it is");
      }
    }
    return matched == 0 ? null : builder.make().getBytes();
  }

  /**
   * Named modules must read the bootstrap bridge's (unnamed) module for inlined advice to link. The class being
   * defined is not a Class yet, so take the module from an already-loaded class of the same package (its superclass
   * usually is), else skip (unnamed modules read everything).
   */
  private void addReadEdge(ClassLoader loader, String typeName) {
    if (!JavaModule.isSupported()) return;
    int dot = typeName.lastIndexOf('.');
    for (Class<?> c : inst.getInitiatedClasses(loader)) {
      String name = c.getName();
      if (name.lastIndexOf('.') == dot && name.startsWith(typeName.substring(0, dot + 1))) {
        addReadEdge(c);
        return;
      }
    }
  }

  private void addReadEdge(Class<?> type) {
    if (!JavaModule.isSupported()) return;
    JavaModule module = JavaModule.ofType(type);
    JavaModule bridge = JavaModule.ofType(Bridges.class);
    if (module == null || !module.isNamed() || module.canRead(bridge)) return;
    try {
      Class<?> moduleType = Class.forName("java.lang.Module");
      Instrumentation.class.getMethod("redefineModule", moduleType, Set.class, Map.class, Map.class, Set.class,
          Map.class).invoke(inst, module.unwrap(), Collections.singleton(bridge.unwrap()), Collections.emptyMap(),
          Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
    } catch (Throwable t) {
      AgentLog.debug("could not add a read edge from " + module + ": " + t);
    }
  }
}
