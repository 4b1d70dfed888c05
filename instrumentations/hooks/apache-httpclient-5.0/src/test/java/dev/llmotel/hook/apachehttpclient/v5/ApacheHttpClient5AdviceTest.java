package dev.llmotel.hook.apachehttpclient.v5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.hook.AdviceChecks;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The matchers and advice against the HttpClient 5 jar this run has (each surefire execution has another version):
 * which version that is, one matching method per named class, the concrete and HTTP/2 clients inheriting it, every
 * named class actually woven, and advice code that names only JDK and bridge types.
 */
class ApacheHttpClient5AdviceTest {
  private final TypePool pool = TypePool.Default.WithLazyResolution.of(
      ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));

  @Test
  void runsOnTheVersionThisExecutionNames() {
    String expected = System.getProperty("hc5.expected.version");
    Assumptions.assumeTrue(expected != null, "run by surefire, which names the version");
    String jar = CloseableHttpClient.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertTrue(jar.endsWith("/httpclient5-" + expected + ".jar"), jar);
  }

  @Test
  void eachNamedClassDeclaresExactlyOneMatchingDoExecute() {
    for (String name : ApacheHttpClient5Instrumentation.CLASSIC_CLIENTS) {
      assertEquals(1, matches(name, ApacheHttpClient5Instrumentation.classicDoExecute()), name);
      assertEquals(0, matches(name, ApacheHttpClient5Instrumentation.asyncDoExecute()), name);
    }
    for (String name : ApacheHttpClient5Instrumentation.ASYNC_CLIENTS) {
      assertEquals(1, matches(name, ApacheHttpClient5Instrumentation.asyncDoExecute()), name);
      assertEquals(0, matches(name, ApacheHttpClient5Instrumentation.classicDoExecute()), name);
    }
  }

  /** The clients the builders return (HTTP/1.1 and HTTP/2) run the woven base-class method: none overrides it. */
  @Test
  void concreteAsyncClientsInheritTheWovenMethod() throws Exception {
    String pkg = "org.apache.hc.client5.http.impl.async.";
    for (String[] pair : new String[][] {{"InternalHttpAsyncClient", "InternalAbstractHttpAsyncClient"},
        {"InternalH2AsyncClient", "InternalAbstractHttpAsyncClient"},
        {"MinimalHttpAsyncClient", "AbstractMinimalHttpAsyncClientBase"},
        {"MinimalH2AsyncClient", "AbstractMinimalHttpAsyncClientBase"}}) {
      Class<?> client = Class.forName(pkg + pair[0], false, getClass().getClassLoader());
      assertEquals(pkg + pair[1], client.getSuperclass().getName(), pair[0]);
      for (Method m : client.getDeclaredMethods()) {
        assertTrue(!m.getName().equals("doExecute"), pair[0] + " overrides " + m);
      }
    }
  }

  @Test
  void everyNamedClassIsWoven() throws Exception {
    assertEquals(Set.copyOf(Arrays.asList(new ApacheHttpClient5Instrumentation().typeNames())),
        Set.copyOf(WovenClients.install()));
  }

  @Test
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() {
    AdviceChecks.assertOnlyJdkAndBridgeTypes(ClassicExecuteAdvice.class, AsyncExecuteAdvice.class);
  }

  @Test
  void theReferenceScanSeesForeignTypes() {
    assertTrue(AdviceChecks.codeReferences(AdviceChecks.classBytes(ApacheHttpClient5Instrumentation.class))
        .contains("dev/llmotel/hook/PerLoaderCallHook"));
  }

  private int matches(String typeName, ElementMatcher<? super MethodDescription> matcher) {
    TypeDescription type = pool.describe(typeName).resolve();
    return type.getDeclaredMethods().filter(matcher).size();
  }
}
