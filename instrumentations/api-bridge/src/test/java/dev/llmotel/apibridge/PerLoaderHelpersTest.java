package dev.llmotel.apibridge;

import dev.llmotel.hook.PerLoaderHelpers;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.telemetry.ParentProbe;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class PerLoaderHelpersTest {
  static {
    HelperLoaders.registerHelperPackages(OpenTelemetryApiInstrumentation.HELPER_PACKAGE);
  }

  @Test
  void oneHelperPerApplicationLoaderDefinedInAHelperLoader() {
    PerLoaderHelpers<ParentProbe> helpers = new PerLoaderHelpers<>(
        OpenTelemetryApiInstrumentation.HELPER_PACKAGE + "CurrentSpanProbe", ParentProbe.class);
    ClassLoader app = PerLoaderHelpersTest.class.getClassLoader();
    ClassLoader other = new URLClassLoader(new URL[0], app);
    ParentProbe probe = helpers.get(app);
    assertNotNull(probe);
    assertSame(probe, helpers.get(app));
    assertNotSame(app, probe.getClass().getClassLoader());
    assertSame(HelperLoaders.helperLoader(app), probe.getClass().getClassLoader());
    ParentProbe forOther = helpers.get(other);
    assertNotSame(probe, forOther);
    assertNotSame(probe.getClass(), forOther.getClass());
    assertNull(probe.currentSpan());
  }

  @Test
  void aHelperThatCannotBeMadeIsNull() {
    ClassLoader withoutApi = new URLClassLoader(new URL[0], null);
    PerLoaderHelpers<ParentProbe> helpers = new PerLoaderHelpers<>(
        OpenTelemetryApiInstrumentation.HELPER_PACKAGE + "CurrentSpanProbe", ParentProbe.class);
    assertNull(helpers.get(withoutApi), "the API is not visible from this loader");
    assertNull(helpers.get(withoutApi));
    PerLoaderHelpers<ParentProbe> missing = new PerLoaderHelpers<>(
        OpenTelemetryApiInstrumentation.HELPER_PACKAGE + "NoSuchHelper", ParentProbe.class);
    assertNull(missing.get(PerLoaderHelpersTest.class.getClassLoader()));
  }
}
