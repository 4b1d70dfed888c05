package dev.llmotel.hook.mcp;

import dev.llmotel.hook.HelperLoaders;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
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
 * The hook installed into this test JVM as the agent installs it: the instrumentation fills its bridge slot, and a
 * class file transformer (ByteBuddy's self-attached {@link Instrumentation}) inlines its advice into the Vert.x
 * classes it names, woven the way the agent's installer weaves them. Classes already loaded are retransformed.
 * {@link #woven()} tells which classes were really transformed, so a test can prove it ran against advised code.
 */
final class WovenMcp {
  private static final Set<String> WOVEN = ConcurrentHashMap.newKeySet();
  private static final List<String> FAILURES = new ArrayList<>();
  private static boolean installed;

  private WovenMcp() {}

  static synchronized void install() {
    if (installed) return;
    installed = true;
    McpSdkInstrumentation hook = new McpSdkInstrumentation();
    HelperLoaders.registerHelperPackages(hook.helperPackages());
    hook.install();
    Set<String> names = ConcurrentHashMap.newKeySet();
    for (String name : hook.typeNames()) names.add(name.replace('.', '/'));
    Instrumentation inst = ByteBuddyAgent.install();
    ClassFileTransformer transformer = new ClassFileTransformer() {
      @Override
      public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
          byte[] classFile) {
        if (internalName == null || !names.contains(internalName)) return null;
        String typeName = internalName.replace('/', '.');
        try {
          byte[] woven = weave(loader, typeName, classFile, hook.advice());
          WOVEN.add(typeName);
          return woven;
        } catch (Throwable t) {
          synchronized (FAILURES) {
            FAILURES.add(typeName + ": " + t);
          }
          return null;
        }
      }
    };
    inst.addTransformer(transformer, true);
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (names.contains(c.getName().replace('.', '/'))) loaded.add(c);
    }
    if (!loaded.isEmpty()) {
      try {
        inst.retransformClasses(loaded.toArray(new Class<?>[0]));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The MCP SDK classes transformed so far. */
  static Set<String> woven() {
    return WOVEN;
  }

  /** Classes the transformer could not weave. */
  static List<String> failures() {
    synchronized (FAILURES) {
      return new ArrayList<>(FAILURES);
    }
  }

  private static byte[] weave(ClassLoader loader, String typeName, byte[] classFile,
      Map<ElementMatcher<? super MethodDescription>, String> advice) {
    ClassFileLocator agentLocator = ClassFileLocator.ForClassLoader.of(WovenMcp.class.getClassLoader());
    ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(typeName, classFile),
        ClassFileLocator.ForClassLoader.of(loader), agentLocator);
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    TypeDescription type = pool.describe(typeName).resolve();
    DynamicType.Builder<?> builder = new ByteBuddy().with(TypeValidation.DISABLED).decorate(type, locator);
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : advice.entrySet()) {
      TypeDescription adviceType = pool.describe(e.getValue()).resolve();
      builder = builder.visit(Advice.to(adviceType, agentLocator).on(e.getKey()));
    }
    return builder.make().getBytes();
  }
}
