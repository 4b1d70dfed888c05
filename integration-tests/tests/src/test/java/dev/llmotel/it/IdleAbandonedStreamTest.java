package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.ReceivedSpan;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An app reads the first line of a long stream, then neither reads on nor closes the response: with
 * {@code idle-timeout-millis=300} the agent ends the call's span as abandoned while the app still runs; with the
 * default timeout (10 min) it ends it as abandoned when the JVM exits, rather than losing it. The app's output is the
 * same with and without the agent.
 */
class IdleAbandonedStreamTest {
  static List<Jdk> jdks() {
    return Jdk.all();
  }

  private static AppRun run(Jdk jdk) {
    return AppRuns.get("okhttp abandon-idle", jdk, () -> AppLaunch.of("okhttp", jdk).appArgs("abandon-idle")
        .jvmArg("-Dotel.instrumentation.llm.idle-timeout-millis=300").expectSpans(1).run());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aStreamLeftIdleIsEndedAsAbandonedAfterTheTimeout(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan span = run.single("chat sim-long", s -> s.name().equals("chat sim-long"));
    long durationMs = Math.round(span.durationSeconds() * 1000);
    assertAll(span.toString(),
        () -> assertEquals("abandoned", span.attr("llmotel.stream.outcome")),
        () -> assertTrue((Long) span.attr("llmotel.stream.chunks") >= 1, "the chunk the app read"),
        () -> assertTrue(durationMs < 1500, "ended by the reaper while the app was still idle: " + durationMs + " ms"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aStreamStillOpenAtExitIsEndedAsAbandonedThen(Jdk jdk) {
    AppRun run = AppRuns.get("okhttp abandon-idle at exit", jdk,
        () -> AppLaunch.of("okhttp", jdk).appArgs("abandon-idle").expectSpans(1).run());
    ReceivedSpan span = run.single("chat sim-long", s -> s.name().equals("chat sim-long"));
    assertAll(span.toString(),
        () -> assertEquals("abandoned", span.attr("llmotel.stream.outcome")),
        () -> assertTrue(span.durationSeconds() >= 1.5, "ended at exit, after the app's 1.5 s: "
            + span.durationSeconds()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void theAppsOutputIsUnchanged(Jdk jdk) {
    AppRun run = run(jdk);
    JvmRun plain = run.plain();
    JvmRun withAgent = run.withAgent();
    assertTrue(plain.stdout().contains("left idle"), plain.describe());
    assertEquals(plain.stdout(), withAgent.stdout(), withAgent.describe());
  }
}
