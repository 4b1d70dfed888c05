package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.ReceivedSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A 50 MB completion read through a stream into SHA-256 with {@code -Xmx96m}: the agent must not buffer the body
 * (memory bounded), and the app must hash exactly the same bytes with and without it.
 */
class HugeBodySmallHeapTest {
  private static final Pattern HASH = Pattern.compile("sha256: ([0-9a-f]{64}) bytes: (\\d+)");

  static List<Arguments> runs() {
    List<Arguments> runs = new ArrayList<>();
    for (Jdk jdk : Jdk.all()) {
      runs.add(Arguments.of("okhttp", jdk));
      runs.add(Arguments.of("java-http-client", jdk));
    }
    return runs;
  }

  private static AppRun run(String app, Jdk jdk) {
    return AppRuns.get(app + " huge-only -Xmx96m", jdk,
        () -> AppLaunch.of(app, jdk).appArgs("huge-only").jvmArg("-Xmx96m").expectSpans(1).run());
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void sameHashWithAndWithoutAgentUnderSmallHeap(String app, Jdk jdk) {
    AppRun run = run(app, jdk);
    JvmRun plain = run.plain();
    Matcher expected = HASH.matcher(plain.stdout());
    assertTrue(expected.find(), "no hash printed without the agent\n" + plain.describe());
    assertEquals(50L * 1024 * 1024, Long.parseLong(expected.group(2)), 4096, "about 50 MB");
    JvmRun withAgent = run.withAgent();
    assertAll(withAgent.describe(),
        () -> assertEquals(0, withAgent.exitCode()),
        () -> assertFalse(withAgent.stderr().contains("OutOfMemoryError"), "out of memory"),
        () -> assertEquals(plain.stdout(), withAgent.stdout()));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void hugeCallIsTracedUnderSmallHeap(String app, Jdk jdk) {
    AppRun run = run(app, jdk);
    ReceivedSpan s = run.single("chat sim-huge", span -> span.name().equals("chat sim-huge"));
    assertEquals(200L, s.attr("http.response.status_code"), s.toString());
  }
}
