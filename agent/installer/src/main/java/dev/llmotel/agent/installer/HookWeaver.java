package dev.llmotel.agent.installer;

import dev.llmotel.config.AgentLog;
import dev.llmotel.hook.AdviceWeaver;
import dev.llmotel.hook.HookInstrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Everything of {@link HookTransformers} that needs ByteBuddy, built on first use: by the init thread's warm-up, or by
 * the first hooked class, whichever comes first, never on the premain thread, so a short-lived application that never
 * loads a hooked class loads none of it. A class is woven in one ASM pass ({@link AdviceWeaver}): its type pool
 * description for the hooks' matchers and the advice, its class file read once into a writer with the advice around
 * it; not through ByteBuddy's {@code decorate(..).make()}, whose method graph, method registry and type writer cost
 * the thread that first loads a hooked class about 170 more ByteBuddy classes and a quarter more CPU for the same
 * bytes.
 */
final class HookWeaver {
  private final ClassFileLocator agentLocator;
  /** The agent's own classes (the advice), resolved once: its cache is thread-safe. */
  private final TypePool agentPool;
  /**
   * Each advice class parsed once, by the warm-up or by the first class it is woven into, then reused for every
   * class it is woven into (an {@link Advice} is immutable).
   */
  private final Map<String, Advice> advice = new ConcurrentHashMap<>();

  HookWeaver(ClassLoader agentLoader) {
    this.agentLocator = ClassFileLocator.ForClassLoader.of(agentLoader);
    this.agentPool = TypePool.Default.WithLazyResolution.of(agentLocator);
  }

  /**
   * Parses the hook's advice once, so the application thread that first loads one of its targets finds it parsed.
   *
   * @param weaveOne also weave it into one of the classes the hook names, read as a resource from the application's
   *     class loader (the woven bytes are dropped), which loads ByteBuddy's advice, type pool and ASM classes: worth
   *     it for the first hook warmed only (every later weave finds them loaded)
   * @return whether a weave ran to its end (ByteBuddy's weaving classes are loaded now)
   */
  boolean warmUp(HookInstrumentation hook, boolean weaveOne) {
    for (String adviceName : hook.advice().values()) advice(adviceName);
    if (!weaveOne) return false;
    ClassLoader system = ClassLoader.getSystemClassLoader();
    ClassFileLocator resources = ClassFileLocator.ForClassLoader.of(system);
    for (String typeName : hook.typeNames()) {
      byte[] classFile = resource(resources, typeName);
      if (classFile == null) continue;
      try {
        weave(system, typeName, classFile, Collections.singletonList(hook), false, null);
        return true;
      } catch (Throwable t) {
        AgentLog.debug("warm-up of hook " + hook.name() + " on " + typeName + ": " + t);
        return false;
      }
    }
    return false;
  }

  /** The class file as the locator (a loader's resources) finds it, or null. */
  private static byte[] resource(ClassFileLocator resources, String typeName) {
    try {
      ClassFileLocator.Resolution found = resources.locate(typeName);
      return found.isResolved() ? found.resolve() : null;
    } catch (Exception e) {
      return null;
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

  /**
   * @param located filled with the class files the weave read through the class's loader (a superclass that declares
   *     a field an advice reads, ...), by type name: what the woven bytes depend on besides the class file and the
   *     agent; null when not wanted
   * @return the woven class, or null when no hook's methods are there (the class is then left as it is)
   */
  byte[] weave(ClassLoader loader, String typeName, byte[] classFile, List<HookInstrumentation> hooks,
      Map<String, byte[]> located) {
    return weave(loader, typeName, classFile, hooks, true, located);
  }

  /**
   * One ASM pass ({@link AdviceWeaver}): the class described by a type pool over its own bytes, then its loader's
   * classes (super types, resolved only if a matcher asks), then the agent's; each matching advice wrapped around
   * the class writer in the hooks' order.
   */
  private byte[] weave(ClassLoader loader, String typeName, byte[] classFile, List<HookInstrumentation> hooks,
      boolean log, Map<String, byte[]> located) {
    ClassFileLocator loaders = ClassFileLocator.ForClassLoader.of(loader);
    ClassFileLocator locator = new ClassFileLocator.Compound(
        ClassFileLocator.Simple.of(typeName, classFile),
        located == null ? loaders : new Recording(loaders, located),
        agentLocator);
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    TypeDescription type = pool.describe(typeName).resolve();
    MethodList<MethodDescription.InDefinedShape> methods = AdviceWeaver.advisableMethods(type);
    List<AsmVisitorWrapper> wrappers = new ArrayList<>(2);
    for (HookInstrumentation hook : hooks) {
      int before = wrappers.size();
      for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : hook.advice().entrySet()) {
        if (methods.filter(e.getKey()).isEmpty()) continue;
        wrappers.add(advice(e.getValue()).on(e.getKey()));
      }
      if (log && wrappers.size() == before) {
        // a version of the library whose internals differ from what the hook knows: the class stays as it is
        AgentLog.debug("hook " + hook.name() + ": " + typeName + " has none of the methods it advises (a version "
            + "it does not support?); left as it is");
      }
    }
    if (wrappers.isEmpty()) return null;
    AsmVisitorWrapper wrapper = wrappers.size() == 1 ? wrappers.get(0) : new AsmVisitorWrapper.Compound(wrappers);
    return AdviceWeaver.weave(type, classFile, wrapper, methods);
  }

  /** Notes every class file its locator finds (what a weave read through the class's loader). */
  private static final class Recording implements ClassFileLocator {
    private final ClassFileLocator delegate;
    private final Map<String, byte[]> located;

    Recording(ClassFileLocator delegate, Map<String, byte[]> located) {
      this.delegate = delegate;
      this.located = located;
    }

    @Override
    public Resolution locate(String name) throws java.io.IOException {
      Resolution resolution = delegate.locate(name);
      if (resolution.isResolved()) located.put(name, resolution.resolve());
      return resolution;
    }

    @Override
    public void close() throws java.io.IOException {
      delegate.close();
    }
  }
}
