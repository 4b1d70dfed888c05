package dev.llmotel.hook.httpurlconnection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.hook.AdviceChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

/** The advice's shape: what it may reference, and which methods of the running JDK it lands on. */
class HttpUrlConnectionAdviceTest {
  private static final List<Class<?>> ADVICE = List.of(ConnectAdvice.class, StreamAdvice.class,
      ErrorStreamAdvice.class, DisconnectAdvice.class, HttpsConnectAdvice.class);

  @Test
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() {
    AdviceChecks.assertOnlyJdkAndBridgeTypes(List.of("sun/net/www/"), ADVICE.toArray(new Class<?>[0]));
  }

  @Test
  void theScanSeesForeignReferences() {
    // by name: loading ConnectionHook here would load the bridge's CallHook from the test class path
    assertTrue(AdviceChecks.codeReferences(AdviceChecks.classBytes(getClass(), "ConnectionHook"))
        .contains("dev/llmotel/hook/httpurlconnection/ObservedConnection"));
  }

  /** Every matcher finds exactly its methods in the running JDK's classes, and nothing else is matched. */
  @Test
  void matchersFindExactlyTheIntendedMethodsOfTheRunningJdk() throws Exception {
    HttpUrlConnectionInstrumentation hook = new HttpUrlConnectionInstrumentation();
    Map<String, List<String>> matched = new TreeMap<>();
    for (String typeName : hook.typeNames()) {
      TypeDescription type = TypeDescription.ForLoadedType.of(Class.forName(typeName, false, null));
      for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : hook.advice().entrySet()) {
        for (MethodDescription m : type.getDeclaredMethods().filter(e.getKey())) {
          matched.computeIfAbsent(e.getValue().substring(e.getValue().lastIndexOf('.') + 1), k -> new ArrayList<>())
              .add(type.getSimpleName() + "." + m.getName() + m.getDescriptor());
        }
      }
    }
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("ConnectAdvice",
        List.of("HttpURLConnection.connect()V", "HttpURLConnection.plainConnect()V"));
    expected.put("StreamAdvice", List.of("HttpURLConnection.getOutputStream()Ljava/io/OutputStream;",
        "HttpURLConnection.getInputStream()Ljava/io/InputStream;"));
    expected.put("ErrorStreamAdvice", List.of("HttpURLConnection.getErrorStream()Ljava/io/InputStream;"));
    expected.put("DisconnectAdvice", List.of("HttpURLConnection.disconnect()V"));
    expected.put("HttpsConnectAdvice", List.of("AbstractDelegateHttpsURLConnection.connect()V"));
    expected.replaceAll((advice, methods) -> methods.stream().sorted().toList());
    matched.replaceAll((advice, methods) -> methods.stream().sorted().toList());
    assertEquals(expected, matched);
  }

  /** The real JDK classes were retransformed with the advice (else the contract tests would test nothing). */
  @Test
  void theJdkClassesAreWoven() throws Exception {
    assertEquals(Set.of(HttpUrlConnectionInstrumentation.CONNECTION, HttpUrlConnectionInstrumentation.HTTPS_DELEGATE),
        WovenJdk.install().woven());
    assertEquals(null, Class.forName("dev.llmotel.bootstrap.Bridges").getClassLoader(),
        "the advice calls the bridge on the bootstrap class path");
  }
}
