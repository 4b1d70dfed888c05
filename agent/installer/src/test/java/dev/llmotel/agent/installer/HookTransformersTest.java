package dev.llmotel.agent.installer;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.hook.HookInstrumentation;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

/** A hooked class of a version without the advised methods is left exactly as it is. */
class HookTransformersTest {
  /** The library's class in the version the hook knows. */
  static final class Known {
    void execute() {}
  }

  /** The same class in a version whose internals differ. */
  static final class Changed {
    void run() {}
  }

  public static final class NoOpAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {}
  }

  static HookInstrumentation hookOn(Class<?> target) {
    return new HookInstrumentation() {
      @Override public String name() { return "test-hook"; }
      @Override public String[] typeNames() { return new String[] {target.getName()}; }
      @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(named("execute"),
            NoOpAdvice.class.getName());
      }
      @Override public String[] helperPackages() { return new String[0]; }
      @Override public void install() {}
    };
  }

  static byte[] classFile(Class<?> type) throws Exception {
    try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  private static byte[] transform(Class<?> type) throws Exception {
    return transform(type, false);
  }

  private static byte[] transform(Class<?> type, boolean exiting) throws Exception {
    return transform(type, exiting, null);
  }

  private static byte[] transform(Class<?> type, boolean exiting, Class<?> redefined) throws Exception {
    Instrumentation inst = (Instrumentation) Proxy.newProxyInstance(Instrumentation.class.getClassLoader(),
        new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
          if (method.getReturnType() == Class[].class) return new Class<?>[0];
          if (method.getReturnType() == boolean.class) return false;
          return null;
        });
    HookTransformers transformers = new HookTransformers(inst);
    transformers.install(Collections.singletonList(hookOn(type)));
    if (exiting) transformers.exiting();
    ClassLoader appLoader = new ClassLoader(HookTransformersTest.class.getClassLoader()) {};
    return transformers.transform(appLoader, type.getName().replace('.', '/'), redefined, null, classFile(type));
  }

  @Test
  void theKnownVersionIsWoven() throws Exception {
    assertNotNull(transform(Known.class));
  }

  @Test
  void onceTheJvmIsExitingAHookedClassIsLeftAsItIs() throws Exception {
    assertNull(transform(Known.class, true), "null: the class file is not changed");
  }

  @Test
  void aClassRetransformedWhileTheJvmIsExitingKeepsItsHooks() throws Exception {
    // a retransformation hands over the original bytes: left as they are, they would replace the woven class
    assertNotNull(transform(Known.class, true, Known.class));
  }

  @Test
  void aVersionWithoutTheAdvisedMethodsIsLeftAsItIs() throws Exception {
    assertNull(transform(Changed.class), "null: the class file is not changed");
  }

  @Test
  void installingLoadsNoByteBuddyUntilAClassIsWoven() throws Exception {
    Instrumentation inst = (Instrumentation) Proxy.newProxyInstance(Instrumentation.class.getClassLoader(),
        new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
          if (method.getReturnType() == Class[].class) return new Class<?>[0];
          if (method.getReturnType() == boolean.class) return false;
          return null;
        });
    HookTransformers transformers = new HookTransformers(inst);
    transformers.install(Collections.singletonList(hookOn(Known.class)));
    java.lang.reflect.Field weaver = HookTransformers.class.getDeclaredField("weaver");
    weaver.setAccessible(true);
    assertNull(weaver.get(transformers), "installed without ByteBuddy");
    ClassLoader appLoader = new ClassLoader(HookTransformersTest.class.getClassLoader()) {};
    assertNull(transformers.transform(appLoader, "some/other/Type", null, null, new byte[0]));
    assertNull(weaver.get(transformers), "a class no hook names needs no ByteBuddy");
    assertNotNull(transformers.transform(appLoader, Known.class.getName().replace('.', '/'), null, null,
        classFile(Known.class)));
    assertNotNull(weaver.get(transformers), "built for the first hooked class");
  }

  @Test
  void presenceTellsTheJdkClientsFromLibrariesOnTheClassPath() {
    assertEquals(HookTransformers.JDK, HookTransformers.presence(hookNaming("java.net.HttpURLConnection")));
    assertEquals(HookTransformers.LIBRARY, HookTransformers.presence(hookNaming(Known.class.getName())));
    assertEquals(HookTransformers.LIBRARY,
        HookTransformers.presence(hookNaming("java.net.HttpURLConnection", Known.class.getName())));
    assertEquals(HookTransformers.ABSENT, HookTransformers.presence(hookNaming("no.such.Client")));
  }

  static Instrumentation noInstrumentation() {
    return (Instrumentation) Proxy.newProxyInstance(Instrumentation.class.getClassLoader(),
        new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
          if (method.getReturnType() == Class[].class) return new Class<?>[0];
          if (method.getReturnType() == boolean.class) return false;
          return null;
        });
  }

  /** A hook on {@code type} whose warm-ups are counted (the warm-up compiles each of its advice classes). */
  static HookInstrumentation countedHook(String type, AtomicInteger warmUps) {
    return new HookInstrumentation() {
      @Override public String name() { return "counted-hook"; }
      @Override public String[] typeNames() { return new String[] {type}; }
      @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        warmUps.incrementAndGet();
        return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(named("execute"),
            NoOpAdvice.class.getName());
      }
      @Override public String[] helperPackages() { return new String[0]; }
      @Override public void install() {}
    };
  }

  @Test
  void theLibrariesWarmUpParsesTheLibraryHooksOnlyAndBuildsTheWeaver() throws Exception {
    AtomicInteger library = new AtomicInteger();
    AtomicInteger jdk = new AtomicInteger();
    HookTransformers transformers = new HookTransformers(noInstrumentation());
    transformers.install(Arrays.asList(countedHook(Known.class.getName(), library),
        countedHook("java.net.HttpURLConnection", jdk)));
    assertEquals(1, transformers.warmUp(true));
    assertTrue(library.get() >= 1, "the library hook's advice was parsed");
    assertEquals(0, jdk.get(), "the JDK client's hook waits for the SDK");
    java.lang.reflect.Field weaver = HookTransformers.class.getDeclaredField("weaver");
    weaver.setAccessible(true);
    assertNotNull(weaver.get(transformers));
  }

  @Test
  void withoutALibraryHookNoByteBuddyIsBuiltBeforeTheSdk() throws Exception {
    AtomicInteger jdk = new AtomicInteger();
    HookTransformers transformers = new HookTransformers(noInstrumentation());
    transformers.install(Collections.singletonList(countedHook("java.net.HttpURLConnection", jdk)));
    assertEquals(0, transformers.warmUp(true));
    java.lang.reflect.Field weaver = HookTransformers.class.getDeclaredField("weaver");
    weaver.setAccessible(true);
    assertNull(weaver.get(transformers), "no ByteBuddy before the SDK");
    assertEquals(1, transformers.warmUp(false));
    assertTrue(jdk.get() >= 1, "the JDK client's hook, once the SDK is up");
  }

  private static HookInstrumentation hookNaming(String... types) {
    return new HookInstrumentation() {
      @Override public String name() { return "test-hook"; }
      @Override public String[] typeNames() { return types; }
      @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Collections.emptyMap();
      }
      @Override public String[] helperPackages() { return new String[0]; }
      @Override public void install() {}
    };
  }
}
