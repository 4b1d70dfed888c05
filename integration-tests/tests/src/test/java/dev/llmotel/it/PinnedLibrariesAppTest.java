package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.ReceivedSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** An app pinning OkHttp 3.14.9 and Jackson 2.9.10: the agent's bundled copies must never reach it. */
class PinnedLibrariesAppTest extends AppContractTest {
  @Override
  String app() { return "pinned-okhttp3-jackson29"; }

  /** The app is compiled for Java 8: every test here also runs it on a JDK 8 where one is installed. */
  static List<Jdk> jdks() { return Java8Apps.jdks(); }

  @Test
  void java8Run() throws Exception {
    Java8Apps.assumeJava8Run(app());
  }

  @Override
  Map<String, Long> expectedSpans() { return Map.of("chat gpt-4o-mini", 2L); }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void appLoadsItsOwnLibraryVersionsWithTheAgent(Jdk jdk) {
    JvmRun withAgent = run(jdk).withAgent();
    assertAll(withAgent.describe(),
        () -> assertTrue(withAgent.stdout().contains("jackson-databind: 2.9.10\n")),
        () -> assertTrue(withAgent.stdout().contains("jackson-core: 2.9.10\n")),
        () -> assertTrue(withAgent.stdout().contains("okhttp: okhttp/3.14.9\n")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chatThroughOkHttp3(Jdk jdk) {
    checkPlainChat(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamThroughOkHttp3(Jdk jdk) {
    checkStreamWithUsage(jdk);
  }
}
