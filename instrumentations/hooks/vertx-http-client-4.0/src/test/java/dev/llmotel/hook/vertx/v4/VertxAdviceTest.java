package dev.llmotel.hook.vertx.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.hook.HookInstrumentation;
import dev.llmotel.testkit.hook.AdviceChecks;
import io.vertx.core.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * The hook points exist in the Vert.x on this class path (4.5 in this module, 5.0 in vertx-5-tests, 5.2 in
 * vertx-52-tests): every advice matches the methods it is meant for, no more, and the instrumentation of the other
 * line matches nothing; the advice code inlined into Vert.x uses only JDK and bridge types.
 */
class VertxAdviceTest {
  private static final String LINE = System.getProperty("vertx.line");
  /** 5.1 and 5.2 write a Buffer and end the response elsewhere; 4.5 and 5.0 do not. */
  private static final boolean LINE_51 = LINE != null && (LINE.startsWith("5.1") || LINE.startsWith("5.2"));

  @Test
  void theTestsRunOnTheVertxLineThisModuleClaims() {
    String jar = HttpClient.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertTrue(LINE != null && jar.contains("/vertx-core-" + LINE + "."), jar + " for Vert.x " + LINE);
  }

  @Test
  void everyAdviceMatchesItsMethodsInTheVertxOnTheClassPath() {
    Map<String, List<String>> matched = matched(new VertxHttpClientInstrumentation());
    assertEquals(LINE_51 ? 0 : 1, matched.get("Write").size(), matched.toString());
    assertEquals(1, matched.get("Response").size(), matched.toString());
    assertEquals(1, matched.get("Fail").size(), matched.toString());
    assertEquals(2, matched.get("Reset").size(), matched.toString());
    assertEquals(1, matched.get("Chunk").size(), matched.toString());
    assertEquals(LINE_51 ? 0 : 1, matched.get("End").size(), matched.toString());
    assertEquals(1, matched.get("Requested").size(), matched.toString());
    List<String> close = matched.get("ConnectionClose");
    assertTrue(close.contains("ConnectionBase.close[]"), matched.toString());
    assertTrue(close.size() <= 2, matched.toString());
  }

  /** The 5.1 / 5.2 points: each once there (the response's end in one of its two forms), none in 4.5 / 5.0. */
  @Test
  void the51AdviceMatchesOnlyInVertx51AndLater() {
    Map<String, List<String>> matched = matched(new VertxHttpClient51Instrumentation());
    int expected = LINE_51 ? 1 : 0;
    assertEquals(expected, matched.get("Write").size(), matched.toString());
    assertEquals(expected, matched.get("End").size(), matched.toString());
    assertEquals(expected, matched.get("ConnectionClose").size(), matched.toString());
    if (LINE_51) {
      assertEquals(List.of("VertxConnection.shutdown[class java.time.Duration]"), matched.get("ConnectionClose"));
    }
  }

  @Test
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() {
    AdviceChecks.assertOnlyJdkAndBridgeTypes(VertxClientAdvice.class.getDeclaredClasses());
    AdviceChecks.assertOnlyJdkAndBridgeTypes(VertxClient51Advice.class.getDeclaredClasses());
  }

  /** Advice (simple name) to the methods its matchers select in the classes the instrumentation names. */
  private static Map<String, List<String>> matched(HookInstrumentation instrumentation) {
    TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(HttpClient.class.getClassLoader()));
    Map<String, List<String>> matched = new TreeMap<>();
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : instrumentation.advice().entrySet()) {
      String advice = e.getValue().substring(e.getValue().indexOf('$') + 1);
      List<String> methods = matched.computeIfAbsent(advice, a -> new ArrayList<>());
      for (String name : instrumentation.typeNames()) {
        TypePool.Resolution resolution = pool.describe(name);
        if (!resolution.isResolved()) continue; // VertxConnection: not in 4.5
        TypeDescription type = resolution.resolve();
        for (MethodDescription m : type.getDeclaredMethods().filter(e.getKey())) {
          methods.add(type.getSimpleName() + "." + m.getName() + m.getParameters().asTypeList().asErasures());
        }
      }
    }
    return matched;
  }
}
