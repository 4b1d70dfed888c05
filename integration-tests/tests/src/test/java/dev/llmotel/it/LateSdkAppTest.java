package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceiverBehaviour;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On a loaded machine the agent's SDK (built on a background thread) can come up after the start-up wait, after the
 * app's first calls have ended. Made deterministic: the SDK's start is held back 2 s (a test-only property) and the
 * start-up wait is 100 ms, so every call of the OkHttp app ends before the SDK is up. All are still recorded, once it
 * is, before the exit hook's flush (5 s exit budget: up to 2.5 s for the SDK).
 */
class LateSdkAppTest {
  static List<Jdk> jdks() {
    return Jdk.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void callsEndedBeforeTheSdkIsUpAreRecordedOnceItIs(Jdk jdk) {
    Map<String, Long> expected = Map.of("chat gpt-4o-mini", 2L, "chat sim-huge", 1L, "chat sim-429", 1L);
    AppRun run = AppLaunch.of("okhttp", jdk)
        .jvmArg("-Dllmotel.internal.sdk-start-delay-millis=2000")
        .agentEnv("OTEL_INSTRUMENTATION_LLM_STARTUP_WAIT_MILLIS", "100")
        .expectSpans(4, AppRun::isLlmSpan)
        .run();
    Map<String, Long> names = run.llmSpans().stream()
        .collect(Collectors.groupingBy(s -> s.name(), TreeMap::new, Collectors.counting()));
    assertAll(run.withAgent().describe(),
        () -> assertEquals(new TreeMap<>(expected), names),
        () -> assertEquals(run.plain().stdout(), run.withAgent().stdout()));
  }

  /**
   * A sampler set only in the {@code .env} file (whose {@code OTEL_*} the agent hands to its SDK) also rules the calls
   * made before the SDK is up: with {@code always_off} there, no call of the app goes out sampled and no span is
   * exported (before, those calls were sampled by the default rule). One JDK: this is the agent's configuration.
   */
  @Test
  void aSamplerFromTheDotEnvFileRulesTheCallsMadeBeforeTheSdkIsUp() {
    OtlpReceiver otlp = TelemetryScenarios.start(ReceiverBehaviour.plainOtlp());
    Map<String, String> env = new java.util.HashMap<>(AgentJvm.agentEnvironment(otlp.endpoint(), "it-dotenv-sampler"));
    env.put("JAVA_TOOL_OPTIONS", "-Dllmotel.internal.sdk-start-delay-millis=2000");
    env.put("OTEL_INSTRUMENTATION_LLM_STARTUP_WAIT_MILLIS", "100");
    TelemetryRun run = TelemetryScenario.app("okhttp, sampler always_off in .env, late SDK", Jdk.current(), "okhttp")
        .receiver(otlp)
        .env(env)
        .dotEnv("OTEL_TRACES_SAMPLER=always_off\n")
        .run();
    List<String> sampled = run.simulatorRequests().stream()
        .filter(r -> r.traceParent().map(tp -> (Integer.parseInt(tp.flags(), 16) & 1) == 1).orElse(false))
        .map(Object::toString).toList();
    assertAll(run.describe(),
        () -> assertEquals(0, run.jvm().exitCode()),
        () -> assertEquals(TelemetryScenarios.OKHTTP_SPANS, run.simulatorRequests().size()),
        () -> assertEquals(List.of(), sampled, "requests sent sampled"),
        () -> assertEquals(List.of(), run.receiver("otlp").spans(), "spans exported"));
  }
}
