package dev.llmotel.hook.apachehttpclient.v5;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * Weaves the hook's advice into the real HttpClient 5 classes of this test JVM, the way the agent's installer does
 * (a class file transformer on the exact class names, ByteBuddy's {@code Advice} on the matched methods), and fills
 * the hook's bridge slots with {@link ApacheHttpClient5Instrumentation#install()}. The JVM runs with byte-buddy-agent
 * as its {@code -javaagent} (see the pom) for the {@link Instrumentation}; classes already loaded are retransformed.
 */
final class WovenClients {
  private static final ApacheHttpClient5Instrumentation HOOK = new ApacheHttpClient5Instrumentation();
  private static final Set<String> WOVEN = new LinkedHashSet<>();
  private static boolean installed;

  private WovenClients() {}

  /** Idempotent; returns the classes actually woven (checked by the tests, so weaving cannot fail quietly). */
  static synchronized Set<String> install() throws Exception {
    if (installed) return WOVEN;
    installed = true;
    HOOK.install();
    Instrumentation inst = ByteBuddyAgent.getInstrumentation();
    List<String> names = Arrays.asList(HOOK.typeNames());
    ClassFileTransformer transformer = new ClassFileTransformer() {
      @Override
      public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
          byte[] classFile) {
        if (internalName == null || !names.contains(internalName.replace('/', '.'))) return null;
        try {
          byte[] woven = weave(loader, internalName.replace('/', '.'), classFile);
          synchronized (WovenClients.class) {
            WOVEN.add(internalName.replace('/', '.'));
          }
          return woven;
        } catch (Throwable t) {
          t.printStackTrace();
          return null;
        }
      }
    };
    inst.addTransformer(transformer, true);
    List<Class<?>> classes = new ArrayList<>();
    for (String name : names) classes.add(Class.forName(name, false, WovenClients.class.getClassLoader()));
    inst.retransformClasses(classes.toArray(new Class<?>[0]));
    return WOVEN;
  }

  private static byte[] weave(ClassLoader loader, String typeName, byte[] classFile) {
    ClassFileLocator locator = new ClassFileLocator.Compound(
        ClassFileLocator.Simple.of(typeName, classFile),
        ClassFileLocator.ForClassLoader.of(loader),
        ClassFileLocator.ForClassLoader.of(WovenClients.class.getClassLoader()));
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    DynamicType.Builder<?> builder = new ByteBuddy().with(TypeValidation.DISABLED)
        .decorate(pool.describe(typeName).resolve(), locator);
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : HOOK.advice().entrySet()) {
      TypeDescription advice = pool.describe(e.getValue()).resolve();
      builder = builder.visit(Advice.to(advice, locator).on(e.getKey()));
    }
    return builder.make().getBytes();
  }
}
