package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A short-lived application that makes no LLM call pays neither for ByteBuddy nor for the SDK: with the SDK's start
 * held back 60 s (a test-only property) and a 20 s exit budget, the application still exits at once (before, the exit
 * hook waited half the budget, 10 s, for an SDK nothing had used), and ByteBuddy's weaving machinery is not loaded
 * (before, premain built it on the application's main thread: about 220 classes).
 */
class ShortLivedAppIT {
  static Stream<String> javas() {
    List<String> javas = new ArrayList<>();
    javas.add(System.getProperty("java.home") + "/bin/java");
    File jdk25 = new File("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    if (jdk25.canExecute()) javas.add(jdk25.getPath());
    return javas.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void anAppThatMakesNoLlmCallExitsAtOnceAndLoadsNoByteBuddy(String java) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_JAVAAGENT_DEBUG", "true");
    env.put("OTEL_INSTRUMENTATION_LLM_SHUTDOWN_TIMEOUT_MILLIS", "20000");
    NoLlmCallRun run = NoLlmCallRun.run(java, true, true, env,
        Collections.singletonList("-Dllmotel.internal.sdk-start-delay-millis=60000"));
    String output = run.output;
    List<String> byteBuddy = new ArrayList<>();
    for (String line : run.classLoads.split("\n")) {
      if (line.contains(" net.bytebuddy.")) byteBuddy.add(line);
    }
    assertAll(output,
        () -> assertEquals(0, run.exitValue),
        () -> assertTrue(output.contains("done"), "the application's output"),
        () -> assertTrue(output.contains("exit: no telemetry was used; not waiting for the SDK"),
            "the exit hook's debug line"),
        () -> assertTrue(run.millis < 9_000, "exited after " + run.millis
            + " ms; waiting for the SDK would take 10,000"),
        // an interface or two may be loaded to verify a hook's class (ElementMatcher, in a method's signature);
        // the weaving machinery (ByteBuddy, Advice, the type pool: about 220 classes) must not be
        () -> assertTrue(byteBuddy.size() <= 3, byteBuddy.size() + " ByteBuddy classes loaded: "
            + byteBuddy.subList(0, Math.min(5, byteBuddy.size()))),
        () -> assertTrue(byteBuddy.stream().noneMatch(l -> l.contains(" net.bytebuddy.ByteBuddy ")
            || l.contains(" net.bytebuddy.asm.Advice ")), "ByteBuddy's weaving machinery loaded: " + byteBuddy));
  }

  /**
   * The SDK starts without the JDK's {@code SecureRandom}: the SDK's instance-id provider (whose static initializer
   * calls {@code UUID.randomUUID()}) is not in the agent's jar, the agent's own provider gives the id.
   */
  @Test
  void theSdkStartsWithoutSettingUpTheJdksSecureRandom() throws Exception {
    NoLlmCallRun run = NoLlmCallRun.run(System.getProperty("java.home") + "/bin/java", true, true,
        Collections.singletonMap("OTEL_JAVAAGENT_DEBUG", "true"), Collections.<String>emptyList(), "sleep", "4000");
    String output = run.output;
    String classes = run.classLoads;
    assertAll(output,
        () -> assertTrue(output.contains("telemetry ready"), "the SDK started"),
        () -> assertTrue(classes.contains(" dev.llmotel.export.InstanceIdResourceProvider "), "the agent's provider"),
        () -> assertFalse(classes.contains("ServiceInstanceIdResourceProvider"), "the SDK's provider"),
        () -> assertFalse(classes.contains(" java.util.UUID$Holder "), "UUID.randomUUID()"),
        () -> assertFalse(classes.contains(" sun.security.provider.NativePRNG "), "the JDK's SecureRandom"));
  }
}
