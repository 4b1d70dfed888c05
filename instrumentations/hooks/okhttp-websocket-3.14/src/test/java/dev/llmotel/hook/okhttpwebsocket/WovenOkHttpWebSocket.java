package dev.llmotel.hook.okhttpwebsocket;

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
 * The hook installed into this test JVM as the agent installs it: its bridge slots filled, and its advice inlined
 * into {@code OkHttpClient} and {@code RealWebSocket} by a class file transformer on ByteBuddy's self-attached
 * instrumentation (classes already loaded are retransformed). {@link #woven()} names the classes really transformed.
 */
final class WovenOkHttpWebSocket {
  private static final Set<String> WOVEN = ConcurrentHashMap.newKeySet();
  private static final List<String> FAILURES = new ArrayList<>();
  private static boolean installed;

  private WovenOkHttpWebSocket() {}

  static synchronized void install() throws Exception {
    if (installed) return;
    installed = true;
    OkHttpWebSocketInstrumentation hook = new OkHttpWebSocketInstrumentation();
    hook.install();
    Set<String> names = ConcurrentHashMap.newKeySet();
    for (String name : hook.typeNames()) names.add(name.replace('.', '/'));
    Instrumentation inst = ByteBuddyAgent.install();
    inst.addTransformer(new ClassFileTransformer() {
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
    }, true);
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (names.contains(c.getName().replace('.', '/'))) loaded.add(c);
    }
    if (!loaded.isEmpty()) inst.retransformClasses(loaded.toArray(new Class<?>[0]));
    // load both now, so that a failure shows here
    Class.forName("okhttp3.OkHttpClient");
    Class.forName("okhttp3.internal.ws.RealWebSocket");
    synchronized (FAILURES) {
      if (!FAILURES.isEmpty()) throw new IllegalStateException("not woven: " + FAILURES);
    }
  }

  static Set<String> woven() {
    return WOVEN;
  }

  private static byte[] weave(ClassLoader loader, String typeName, byte[] classFile,
      Map<ElementMatcher<? super MethodDescription>, String> advice) {
    ClassFileLocator agentLocator = ClassFileLocator.ForClassLoader.of(WovenOkHttpWebSocket.class.getClassLoader());
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
