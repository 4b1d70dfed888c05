package dev.llmotel.hook.vertx.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmotel.hook.HookInstrumentation;
import dev.llmotel.testkit.hook.WovenHook;
import io.vertx.core.http.HttpClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The module's two instrumentations woven into this JVM as the agent weaves them (both are on the class path and
 * share one switch): the one for what Vert.x 4.5 / 5.0 and 5.1 / 5.2 have in common plus 4.5 / 5.0's own points,
 * and the one for 5.1 / 5.2's own points. Each matches nothing it does not know in the other line.
 */
final class WovenVertx {
  private WovenVertx() {}

  /** Weaves both (once per JVM) before the test touches Vert.x. */
  static void weave() {
    WovenHook.intoLibrary(VertxHttpClientInstrumentation.class);
    WovenHook.intoLibrary(VertxHttpClient51Instrumentation.class);
  }

  /**
   * The tests ran against advised classes: every class each instrumentation names that exists in this Vert.x (4.5
   * has no {@code VertxConnection}) was woven, without error.
   */
  static void assertAdviceWoven() {
    assertWoven(WovenHook.intoLibrary(VertxHttpClientInstrumentation.class), new VertxHttpClientInstrumentation());
    assertWoven(WovenHook.intoLibrary(VertxHttpClient51Instrumentation.class),
        new VertxHttpClient51Instrumentation());
  }

  private static void assertWoven(WovenHook woven, HookInstrumentation instrumentation) {
    assertEquals(List.of(), woven.failures());
    Set<String> present = new HashSet<>();
    for (String name : instrumentation.typeNames()) {
      try {
        Class.forName(name, false, HttpClient.class.getClassLoader());
        present.add(name);
      } catch (ClassNotFoundException absent) {
        // not in this line of Vert.x
      }
    }
    assertEquals(present, woven.woven());
  }
}
