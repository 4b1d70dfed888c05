package dev.llmotel.hook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PerLoaderCallHookTest {
  private static final String HELPER = "dev.llmotel.hook.testhelper.EchoHook";

  @BeforeAll
  static void helpers() {
    HelperLoaders.registerHelperPackages("dev.llmotel.hook.testhelper.");
  }

  @Test
  void helperOfTheReceiversLoaderGetsTheCallAndItsTokenAtTheExit() {
    for (PerLoaderCallHook hook : new PerLoaderCallHook[] {PerLoaderCallHook.of(HELPER),
        PerLoaderCallHook.keepingLast(HELPER)}) {
      Object[] args = {"call", null};
      Object token = hook.enter(this, args);
      assertNotNull(token);
      ClassLoader helperLoader = (ClassLoader) args[1];
      assertSame(HelperLoaders.helperLoader(getClass().getClassLoader()), helperLoader);
      Object[] result = new Object[1];
      hook.exit(token, result, null);
      assertEquals("token:call", result[0]);
      Object[] again = {"call", null};
      hook.enter(this, again);
      assertSame(helperLoader, again[1]);
    }
  }

  @Test
  void anIgnoredCallHasNoToken() {
    assertNull(PerLoaderCallHook.of(HELPER).enter(this, new Object[] {"ignore", null}));
  }

  @Test
  void nothingThrows() {
    PerLoaderCallHook hook = PerLoaderCallHook.keepingLast(HELPER);
    assertNull(hook.enter(this, new Object[] {"throw", null}));
    Object token = hook.enter(this, new Object[] {"call", null});
    assertDoesNotThrow(() -> hook.exit(token, new Object[1], new RuntimeException("the app's")));
    assertDoesNotThrow(() -> hook.exit(null, null, null));
    assertNull(PerLoaderCallHook.of("dev.llmotel.hook.testhelper.Missing").enter(this, new Object[] {"call", null}));
    assertNull(PerLoaderCallHook.of(HELPER).enter(null, new Object[] {"call", null}));
  }

  @Test
  void keepingLastFollowsTheLoader() throws Exception {
    PerLoaderCallHook hook = PerLoaderCallHook.keepingLast(HELPER);
    ClassLoader other = new ClassLoader(getClass().getClassLoader()) {};
    Object fromOther = java.lang.reflect.Proxy.newProxyInstance(other, new Class<?>[] {Runnable.class}, (p, m, a) -> null);
    assertSame(other, fromOther.getClass().getClassLoader());
    Object[] a = {"call", null};
    Object[] b = {"call", null};
    Object[] c = {"call", null};
    hook.enter(this, a);
    hook.enter(fromOther, b);
    hook.enter(this, c);
    assertNotEquals(a[1], b[1]);
    assertSame(HelperLoaders.helperLoader(other), b[1]);
    assertArrayEquals(new Object[] {a[1]}, new Object[] {c[1]});
  }

  @Test
  void keepingLastKeepsAHelperThatCannotBeMadeSoTheHotPathTakesNoLock() throws Exception {
    PerLoaderCallHook hook = PerLoaderCallHook.keepingLast("dev.llmotel.hook.testhelper.Missing");
    java.lang.reflect.Field last = PerLoaderCallHook.class.getDeclaredField("last");
    last.setAccessible(true);
    assertNull(((java.lang.ref.WeakReference<?>) last.get(hook)).get());
    assertNull(hook.enter(this, new Object[] {"call", null}));
    Object[] kept = (Object[]) ((java.lang.ref.WeakReference<?>) last.get(hook)).get();
    assertSame(getClass().getClassLoader(), kept[0]);
    assertNull(kept[1]);
    assertNull(hook.enter(this, new Object[] {"call", null}));
    assertSame(kept, ((java.lang.ref.WeakReference<?>) last.get(hook)).get(),
        "answered from the kept pair, not looked up again");
  }

  /**
   * The hook is reachable from the bootstrap loader: the last loader it saw must not be kept alive by it (an undeployed
   * web application's loader and all its classes would be).
   */
  @Test
  void keepingLastDoesNotKeepTheLastLoaderAlive() throws Exception {
    PerLoaderCallHook hook = PerLoaderCallHook.keepingLast("dev.llmotel.hook.testhelper.Missing");
    java.lang.ref.WeakReference<ClassLoader> gone = callFromAThrowAwayLoader(hook);
    for (int i = 0; i < 50 && gone.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(gone.get(), "the last loader the hook saw is still reachable");
  }

  private java.lang.ref.WeakReference<ClassLoader> callFromAThrowAwayLoader(PerLoaderCallHook hook) {
    ClassLoader throwAway = new ClassLoader(getClass().getClassLoader()) {};
    Object receiver = java.lang.reflect.Proxy.newProxyInstance(throwAway, new Class<?>[] {Runnable.class},
        (p, m, a) -> null);
    hook.enter(receiver, new Object[] {"call", null});
    return new java.lang.ref.WeakReference<>(throwAway);
  }
}
