package dev.llmotel.hook;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmotel.bootstrap.CallHook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One helper per loader, also when lookups alternate between loaders (the last one is kept at hand). */
class PerLoaderHelpersTest {
  private static final String HELPER = "dev.llmotel.hook.testhelper.EchoHook";

  @BeforeAll
  static void helpers() {
    HelperLoaders.registerHelperPackages("dev.llmotel.hook.testhelper.");
  }

  @Test
  void theSameHelperPerLoaderWhicheverLoaderWasAskedLast() {
    PerLoaderHelpers<CallHook> helpers = new PerLoaderHelpers<>(HELPER, CallHook.class);
    ClassLoader mine = getClass().getClassLoader();
    ClassLoader other = new ClassLoader(mine) {};
    CallHook a = helpers.get(mine);
    assertNotNull(a);
    assertSame(a, helpers.get(mine));
    CallHook b = helpers.get(other);
    assertNotNull(b);
    assertNotSame(a, b);
    assertSame(a, helpers.get(mine));
    assertSame(b, helpers.get(other));
    assertSame(b, helpers.get(other));
  }

  @Test
  void aHelperThatCannotBeMadeIsNullEveryTime() {
    PerLoaderHelpers<CallHook> helpers = new PerLoaderHelpers<>("dev.llmotel.hook.testhelper.Missing", CallHook.class);
    assertNull(helpers.get(getClass().getClassLoader()));
    assertNull(helpers.get(getClass().getClassLoader()));
  }
}
