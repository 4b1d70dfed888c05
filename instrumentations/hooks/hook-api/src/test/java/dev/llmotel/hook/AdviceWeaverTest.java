package dev.llmotel.hook;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * {@link AdviceWeaver} writes the very bytes ByteBuddy's {@code decorate(..).visit(advice).make()} writes (what the
 * agent used before), for a class with loops, try/catch, a lambda, a bridge method and a constructor, and for JDK
 * classes with rich stack map frames; and the woven code runs its advice.
 */
public class AdviceWeaverTest {
  /** Counts what the advice saw. */
  public static final AtomicInteger ENTERED = new AtomicInteger();
  public static final AtomicInteger EXITED = new AtomicInteger();
  public static final AtomicInteger THROWN = new AtomicInteger();

  public static class Target implements Supplier<String> {
    private final List<String> seen = new ArrayList<>();

    public Target(String first) {
      seen.add(first);
    }

    public int sum(int[] values) {
      int total = 0;
      for (int v : values) {
        try {
          if (v < 0) throw new IllegalArgumentException("negative " + v);
          total += v;
        } catch (IllegalArgumentException e) {
          seen.add(e.getMessage());
        }
      }
      return total;
    }

    public String fail(String why) {
      throw new IllegalStateException(why);
    }

    @Override
    public String get() { // the compiler adds a synthetic bridge get()Ljava/lang/Object;
      Supplier<String> s = () -> String.join(",", seen);
      return s.get();
    }
  }

  /** Package-private: the compiler gives a public subclass a visibility bridge for each of its public methods. */
  static class HiddenBase {
    public String name(String prefix) {
      return prefix + "base";
    }
  }

  public static class VisibleSub extends HiddenBase {}

  public static class CountingAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object self) {
      ENTERED.incrementAndGet();
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Thrown Throwable thrown) {
      EXITED.incrementAndGet();
      if (thrown != null) THROWN.incrementAndGet();
    }
  }

  public static class ConstructorAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object self, @Advice.Argument(0) Object first) {
      ENTERED.addAndGet(1000);
    }
  }

  private static final ClassFileLocator TEST = ClassFileLocator.ForClassLoader.of(AdviceWeaverTest.class
      .getClassLoader());

  /** Counting advice on {@link Target}'s methods, constructor advice on its constructor. */
  private static List<Advised> targetAdvice() {
    List<Advised> advice = new ArrayList<>();
    advice.add(new Advised(isMethod().and(named("sum").or(named("fail")).or(named("get"))), CountingAdvice.class));
    advice.add(new Advised(isConstructor(), ConstructorAdvice.class));
    return advice;
  }

  @Test
  void sameBytesAsDecorationForATargetWithFramesBridgesAndLambdas() throws Exception {
    List<Advised> advice = targetAdvice();
    byte[] woven = assertSameAsDecoration(Target.class.getName(), advice);
    assertNotEquals(bytes(Target.class.getName()).length, woven.length);
  }

  @Test
  void visibilityBridgesAreAdvisedAsDecorationAdvisesThem() throws Exception {
    MethodDescription bridge = TypeDescription.ForLoadedType.of(VisibleSub.class).getDeclaredMethods()
        .filter(named("name")).getOnly();
    assertTrue(bridge.isBridge(), "the compiler's visibility bridge");
    assertTrue(AdviceWeaver.advisableMethods(TypePool.Default.of(TEST).describe(VisibleSub.class.getName()).resolve())
        .contains(bridge.asDefined()), "advisable");
    List<Advised> advice = new ArrayList<>();
    advice.add(new Advised(isMethod().and(named("name")), CountingAdvice.class));
    byte[] woven = assertSameAsDecoration(VisibleSub.class.getName(), advice);
    assertNotEquals(bytes(VisibleSub.class.getName()).length, woven.length);
  }

  @Test
  void sameBytesAsDecorationForJdkClasses() throws Exception {
    List<Advised> advice = new ArrayList<>();
    advice.add(new Advised(isMethod().and(named("getInputStream").or(named("getOutputStream")))
        .and(takesArguments(0)), CountingAdvice.class));
    assertSameAsDecoration("sun.net.www.protocol.http.HttpURLConnection", advice);
    List<Advised> forMap = new ArrayList<>();
    forMap.add(new Advised(isMethod().and(named("putVal").or(named("resize")).or(named("computeIfAbsent"))),
        CountingAdvice.class));
    assertSameAsDecoration("java.util.HashMap", forMap);
  }

  @Test
  void theWovenClassRunsItsAdvice() throws Exception {
    List<Advised> advice = targetAdvice();
    byte[] woven = weave(Target.class.getName(), advice);
    Class<?> type = new ClassLoader(getClass().getClassLoader()) {
      Class<?> define() {
        return defineClass(Target.class.getName(), woven, 0, woven.length);
      }
    }.define();
    ENTERED.set(0);
    EXITED.set(0);
    THROWN.set(0);
    Object target = type.getConstructor(String.class).newInstance("a");
    assertEquals(1000, ENTERED.get());
    assertEquals(3, type.getMethod("sum", int[].class).invoke(target, (Object) new int[] {1, -1, 2}));
    assertEquals("a,negative -1", type.getMethod("get").invoke(target));
    Method fail = type.getMethod("fail", String.class);
    assertThrows(java.lang.reflect.InvocationTargetException.class, () -> fail.invoke(target, "no"));
    assertEquals(1003, ENTERED.get());
    assertEquals(3, EXITED.get());
    assertEquals(1, THROWN.get());
  }

  private static final class Advised {
    final ElementMatcher<? super MethodDescription> matcher;
    final Class<?> advice;

    Advised(ElementMatcher<? super MethodDescription> matcher, Class<?> advice) {
      this.matcher = matcher;
      this.advice = advice;
    }
  }

  private static byte[] assertSameAsDecoration(String typeName, List<Advised> advice) throws IOException {
    byte[] classFile = bytes(typeName);
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator(typeName, classFile));
    DynamicType.Builder<?> builder = new ByteBuddy().with(TypeValidation.DISABLED)
        .decorate(pool.describe(typeName).resolve(), locator(typeName, classFile));
    for (Advised a : advice) {
      builder = builder.visit(Advice.to(TypeDescription.ForLoadedType.of(a.advice), TEST).on(a.matcher));
    }
    byte[] expected = builder.make().getBytes();
    byte[] woven = weave(typeName, advice);
    assertArrayEquals(expected, woven, typeName);
    return woven;
  }

  private static byte[] weave(String typeName, List<Advised> advice) throws IOException {
    byte[] classFile = bytes(typeName);
    TypeDescription type = TypePool.Default.WithLazyResolution.of(locator(typeName, classFile)).describe(typeName)
        .resolve();
    List<AsmVisitorWrapper> wrappers = new ArrayList<>();
    for (Advised a : advice) {
      wrappers.add(Advice.to(TypeDescription.ForLoadedType.of(a.advice), TEST).on(a.matcher));
    }
    return AdviceWeaver.weave(type, classFile, new AsmVisitorWrapper.Compound(wrappers),
        AdviceWeaver.advisableMethods(type));
  }

  private static ClassFileLocator locator(String typeName, byte[] classFile) {
    return new ClassFileLocator.Compound(ClassFileLocator.Simple.of(typeName, classFile), TEST);
  }

  private static byte[] bytes(String typeName) throws IOException {
    try (InputStream in = ClassLoader.getSystemResourceAsStream(typeName.replace('.', '/') + ".class")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
      return out.toByteArray();
    }
  }
}
