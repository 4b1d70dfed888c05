package dev.llmotel.hook.vertx.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The hook points exist in the Vert.x on this class path (4.5 in this module, 5.0 in vertx-5-tests): every advice
 * matches the methods it is meant for, no more; and the advice code inlined into Vert.x uses only JDK and bridge types.
 */
class VertxAdviceTest {
  private final VertxHttpClientInstrumentation instrumentation = new VertxHttpClientInstrumentation();

  @Test
  void theTestsRunOnTheVertxLineThisModuleClaims() {
    String expected = System.getProperty("vertx.line");
    String jar = HttpClient.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertTrue(expected != null && jar.contains("/vertx-core-" + expected + "."), jar + " for Vert.x " + expected);
  }

  @Test
  void everyAdviceMatchesItsMethodsInTheVertxOnTheClassPath() {
    TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(HttpClient.class.getClassLoader()));
    Map<String, List<String>> matched = new TreeMap<>();
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : instrumentation.advice().entrySet()) {
      String advice = e.getValue().substring(e.getValue().indexOf('$') + 1);
      List<String> methods = new ArrayList<>();
      for (String name : instrumentation.typeNames()) {
        TypeDescription type = pool.describe(name).resolve();
        for (MethodDescription m : type.getDeclaredMethods().filter(e.getKey())) {
          methods.add(type.getSimpleName() + "." + m.getName() + m.getParameters().asTypeList().asErasures());
        }
      }
      matched.put(advice, methods);
    }
    assertEquals(1, matched.get("Write").size(), matched.toString());
    assertEquals(1, matched.get("Response").size(), matched.toString());
    assertEquals(1, matched.get("Fail").size(), matched.toString());
    assertEquals(2, matched.get("Reset").size(), matched.toString());
    assertEquals(1, matched.get("Chunk").size(), matched.toString());
    assertEquals(1, matched.get("End").size(), matched.toString());
    assertEquals(1, matched.get("Requested").size(), matched.toString());
    List<String> close = matched.get("ConnectionClose");
    assertTrue(close.contains("ConnectionBase.close[]"), matched.toString());
    assertTrue(close.size() <= 2, matched.toString());
  }

  @Test
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() {
    AdviceChecks.assertOnlyJdkAndBridgeTypes(VertxClientAdvice.class.getDeclaredClasses());
  }
}
