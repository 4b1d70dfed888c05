package dev.llmotel.apibridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmotel.telemetry.ParentProbe;
import dev.llmotel.telemetry.ParentSpan;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationApiProbesTest {
  private final List<ClassLoader> created = new ArrayList<>();
  private final Map<ClassLoader, ParentProbe> byLoader = new HashMap<>();
  private final ApplicationApiProbes probes = new ApplicationApiProbes(loader -> {
    created.add(loader);
    return byLoader.get(loader);
  });

  @Test
  void recordingALoaderCreatesNothingUntilAnLlmCallAsks() {
    ClassLoader app = new URLClassLoader(new URL[0], null);
    probes.apply(String.class); // bootstrap loader
    probes.apply(ApplicationApiProbesTest.class);
    probes.record(app);
    probes.record(app);
    probes.apply("not a class");
    assertEquals(3, probes.recordedLoaders());
    assertEquals(List.of(), created, "nothing loaded while the API initialises");

    assertNull(probes.currentSpan());
    assertEquals(3, created.size());
    assertEquals(List.of(ApplicationApiProbesTest.class.getClassLoader(), app), created.subList(0, 2));
    assertNull(created.get(2));
  }

  @Test
  void theFirstLoaderWithACurrentSpanWins() {
    ClassLoader quiet = new URLClassLoader(new URL[0], null);
    ClassLoader busy = new URLClassLoader(new URL[0], null);
    ClassLoader broken = new URLClassLoader(new URL[0], null);
    ParentSpan span = new ParentSpan("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", (byte) 1, false, null);
    byLoader.put(quiet, () -> null);
    byLoader.put(broken, () -> {
      throw new IllegalStateException("probe failed");
    });
    byLoader.put(busy, () -> span);
    probes.record(quiet);
    probes.record(broken);
    probes.record(busy);
    assertSame(span, probes.currentSpan());
  }
}
