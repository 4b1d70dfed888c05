package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import dev.llmotel.it.simulator.RecordedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs one sample app on one JDK against its own fresh simulator: once without the agent, and (when the jar exists)
 * once with it against its own OTLP receiver. Collects everything the tests assert on into an {@link AppRun}.
 */
final class AppLaunch {
  private final String app;
  private final Jdk jdk;
  private final List<String> appArgs = new ArrayList<>();
  private final List<String> jvmArgs = new ArrayList<>();
  private final Map<String, String> agentEnv = new LinkedHashMap<>();
  private String jarFile = "app.jar";
  private int expectedSpans;
  private Predicate<ReceivedSpan> awaited = s -> true;

  private AppLaunch(String app, Jdk jdk) {
    this.app = app;
    this.jdk = jdk;
  }

  static AppLaunch of(String app, Jdk jdk) { return new AppLaunch(app, jdk); }

  /** Arguments after the simulator's base URL. */
  AppLaunch appArgs(String... args) {
    appArgs.addAll(List.of(args));
    return this;
  }

  AppLaunch jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  /** How many spans the agent run should export; the receiver is polled until they arrive (up to 15 s). */
  AppLaunch expectSpans(int count) {
    expectedSpans = count;
    return this;
  }

  /** As {@link #expectSpans(int)}, counting only the spans {@code which} accepts. */
  AppLaunch expectSpans(int count, Predicate<ReceivedSpan> which) {
    expectedSpans = count;
    awaited = which;
    return this;
  }

  /** Which jar under the app's {@code target} to run (default {@code app.jar}). */
  AppLaunch jar(String file) {
    jarFile = file;
    return this;
  }

  /** An environment variable of the agent run, besides the harness's (e.g. metrics on). */
  AppLaunch agentEnv(String variable, String value) {
    agentEnv.put(variable, value);
    return this;
  }

  static String serviceName(String app) { return "it-" + app; }

  AppRun run() {
    try {
      Path jar = TestArtifacts.appJar(app, jarFile);
      JvmRun plain;
      List<RecordedRequest> plainRequests;
      try (LlmSimulator simulator = LlmSimulator.start()) {
        plain = jvm(jar, simulator).run();
        plainRequests = simulator.requests();
      }
      Path agentJar = TestArtifacts.agentJar().orElse(null);
      if (agentJar == null) return AppRun.withoutAgent(app, jdk, plain, plainRequests, TestArtifacts.agentMissing());
      try (LlmSimulator simulator = LlmSimulator.start(); OtlpReceiver receiver = OtlpReceiver.start()) {
        JvmRun withAgent = jvm(jar, simulator).agent(agentJar)
            .env(AgentJvm.agentEnvironment(receiver.endpoint(), serviceName(app)))
            .env(agentEnv)
            .run();
        Duration wait = withAgent.exitCode() == 0 ? OtlpReceiver.DEFAULT_WAIT : Duration.ofSeconds(2);
        receiver.awaitSpans(awaited, expectedSpans, wait);
        List<ReceivedSpan> spans = receiver.spans();
        return new AppRun(app, jdk, plain, plainRequests, withAgent, simulator.requests(), simulator.port(), spans,
            receiver.problems(), null, receiver);
      }
    } catch (Exception e) {
      return fail("could not run app " + app + " on " + jdk + ": " + e, e);
    }
  }

  private AgentJvm jvm(Path jar, LlmSimulator simulator) {
    AgentJvm jvm = AgentJvm.app(jdk, jar).timeout(Duration.ofSeconds(90));
    jvmArgs.forEach(jvm::jvmArg);
    List<String> args = new ArrayList<>();
    args.add(simulator.baseUrl());
    args.addAll(appArgs);
    return jvm.args(args.toArray(String[]::new));
  }
}
