package dev.llmotel.hook.apachehttpclient.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import dev.llmotel.testkit.hook.AdviceChecks;
import dev.llmotel.testkit.hook.WovenHook;
import java.util.Collections;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/** The advice and its matcher against the real HttpClient 4.5 classes, woven as the installer weaves them. */
class ApacheHttpClient4AdviceTest {
  private final ApacheHttpClient4Instrumentation instrumentation = new ApacheHttpClient4Instrumentation();

  @SuppressWarnings("unchecked")
  private ElementMatcher<? super MethodDescription> matcher() {
    return instrumentation.advice().keySet().iterator().next();
  }

  @Test
  void eachHookedClassHasExactlyOneMatchingDoExecuteWeavingReadsTheBridgeIn() throws Exception {
    for (String name : instrumentation.typeNames()) {
      ClassFileLocator locator = new ClassFileLocator.Compound(
          ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()),
          ClassFileLocator.ForClassLoader.ofSystemLoader());
      TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
      TypeDescription type = pool.describe(name).resolve();
      assertEquals(1, type.getDeclaredMethods().filter(matcher()).size(), name);
      byte[] woven = WovenHook.weave(getClass().getClassLoader(), name, locator.locate(name).resolve(),
          Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(matcher(),
              ApacheHttpClient4Advice.class.getName()));
      List<String> readers = AdviceChecks.methodsCalling(woven, "dev/llmotel/bootstrap/Bridges", "callHook");
      assertEquals(1, readers.size(), name + ": " + readers);
      assertTrue(readers.get(0).startsWith("doExecute(Lorg/apache/http/HttpHost;Lorg/apache/http/HttpRequest;"
          + "Lorg/apache/http/protocol/HttpContext;)Lorg/apache/http/client/methods/CloseableHttpResponse;"),
          readers.toString());
    }
  }

  @Test
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() {
    AdviceChecks.assertOnlyJdkAndBridgeTypes(ApacheHttpClient4Advice.class);
  }
}
