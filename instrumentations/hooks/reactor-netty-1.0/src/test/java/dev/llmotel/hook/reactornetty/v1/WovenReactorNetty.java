package dev.llmotel.hook.reactornetty.v1;

import dev.llmotel.hook.HelperLoaders;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Weaves {@link ReactorNettyInstrumentation}'s advice into the real Reactor Netty classes of this test JVM, the way
 * the agent's installer does (a class file transformer with exact names, ByteBuddy advice inlined, the bridge slots
 * filled by {@code install()}), through an instrumentation ByteBuddy attaches to this JVM. Once per JVM; the Netty
 * leak recorder goes in first, before any buffer class is initialised.
 */
final class WovenReactorNetty {
  private static final Set<String> WOVEN = ConcurrentHashMap.newKeySet();
  private static final List<String> FAILURES = new ArrayList<>();
  private static Instrumentation instrumentation;

  private WovenReactorNetty() {}

  static synchronized void install() {
    if (instrumentation != null) return;
    LeakRecorder.install();
    ReactorNettyInstrumentation hook = new ReactorNettyInstrumentation();
    HelperLoaders.registerHelperPackages(hook.helperPackages());
    hook.install();
    Set<String> internalNames = new HashSet<>();
    for (String name : hook.typeNames()) internalNames.add(name.replace('.', '/'));
    instrumentation = ByteBuddyAgent.install();
    instrumentation.addTransformer(new Weaver(hook, internalNames), true);
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (internalNames.contains(c.getName().replace('.', '/'))) loaded.add(c);
    }
    if (!loaded.isEmpty()) {
      try {
        instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
      } catch (Exception e) {
        throw new IllegalStateException("could not weave " + loaded, e);
      }
    }
  }

  /** Binary names of the classes woven so far. */
  static Set<String> woven() {
    return Set.copyOf(WOVEN);
  }

  static synchronized List<String> failures() {
    return List.copyOf(FAILURES);
  }

  private static final class Weaver implements ClassFileTransformer {
    private final ReactorNettyInstrumentation hook;
    private final Set<String> internalNames;
    private final ClassFileLocator agentLocator =
        ClassFileLocator.ForClassLoader.of(WovenReactorNetty.class.getClassLoader());

    Weaver(ReactorNettyInstrumentation hook, Set<String> internalNames) {
      this.hook = hook;
      this.internalNames = internalNames;
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
        byte[] classFile) {
      if (internalName == null || !internalNames.contains(internalName)) return null;
      String typeName = internalName.replace('/', '.');
      try {
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(typeName, classFile),
            ClassFileLocator.ForClassLoader.of(loader), agentLocator);
        TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
        TypeDescription type = pool.describe(typeName).resolve();
        DynamicType.Builder<?> builder = new ByteBuddy().with(TypeValidation.DISABLED).decorate(type, locator);
        for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : hook.advice().entrySet()) {
          builder = builder.visit(Advice.to(pool.describe(e.getValue()).resolve(), agentLocator).on(e.getKey()));
        }
        byte[] woven = builder.make().getBytes();
        WOVEN.add(typeName);
        return woven;
      } catch (Throwable t) {
        synchronized (WovenReactorNetty.class) {
          FAILURES.add(typeName + ": " + t);
        }
        return null;
      }
    }
  }
}
