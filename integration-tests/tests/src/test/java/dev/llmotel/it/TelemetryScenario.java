package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.simulator.LlmSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an app once with the agent, on one JDK, against a fresh simulator, in a fresh working directory (optionally
 * with a {@code .env} file), with exactly the environment the scenario gives (nothing of the harness default is
 * implied) and the receivers it started. The receivers are polled for the expected spans, then closed; what they
 * decoded stays readable in the {@link TelemetryRun}.
 */
final class TelemetryScenario {
  private final String name;
  private final Jdk jdk;
  private final String app;
  private final Class<?> mainClass;
  private final List<String> appArgs = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Map<String, OtlpReceiver> receivers = new LinkedHashMap<>();
  private String dotEnv;
  private int expectedSpans;
  private final List<String> awaitOn = new ArrayList<>();

  private TelemetryScenario(String name, Jdk jdk, String app, Class<?> mainClass) {
    this.name = name;
    this.jdk = jdk;
    this.app = app;
    this.mainClass = mainClass;
  }

  /** A sample app ({@code integration-tests/apps/<app>/target/app.jar}). */
  static TelemetryScenario app(String name, Jdk jdk, String app) { return new TelemetryScenario(name, jdk, app, null); }

  /** A main class of this module's test classes, launched with {@code -cp}. */
  static TelemetryScenario mainClass(String name, Jdk jdk, Class<?> main) {
    return new TelemetryScenario(name, jdk, null, main);
  }

  /** Arguments after the simulator's base URL. */
  TelemetryScenario appArgs(String... args) {
    appArgs.addAll(List.of(args));
    return this;
  }

  TelemetryScenario env(String variable, String value) {
    env.put(variable, value);
    return this;
  }

  TelemetryScenario env(Map<String, String> values) {
    env.putAll(values);
    return this;
  }

  /** A receiver the run's telemetry may reach, known by its behaviour's name; closed after the run. */
  TelemetryScenario receiver(OtlpReceiver receiver) {
    receivers.put(receiver.behaviour().name(), receiver);
    return this;
  }

  /** The content of a {@code .env} file written into the working directory. */
  TelemetryScenario dotEnv(String content) {
    dotEnv = content;
    return this;
  }

  /** Polls the named receivers until this many spans arrived at each (up to 15 s) before closing them. */
  TelemetryScenario expectSpans(int count, String... receivers) {
    expectedSpans = count;
    awaitOn.addAll(List.of(receivers));
    return this;
  }

  TelemetryRun run() {
    Path dir = null;
    try (LlmSimulator simulator = LlmSimulator.start()) {
      dir = Files.createTempDirectory("it-workdir");
      if (dotEnv != null) Files.writeString(dir.resolve(".env"), dotEnv, StandardCharsets.UTF_8);
      AgentJvm jvm = mainClass == null ? AgentJvm.app(jdk, TestArtifacts.appJar(app))
          : AgentJvm.mainClass(jdk, classPathOf(mainClass), mainClass.getName());
      List<String> args = new ArrayList<>();
      args.add(simulator.baseUrl());
      args.addAll(appArgs);
      JvmRun result = jvm.agent(TestArtifacts.requireAgentJar()).env(env).directory(dir)
          .args(args.toArray(String[]::new)).timeout(Duration.ofSeconds(60)).run();
      Duration wait = result.exitCode() == 0 ? OtlpReceiver.DEFAULT_WAIT : Duration.ofSeconds(2);
      for (String receiver : awaitOn) receivers.get(receiver).awaitSpans(s -> true, expectedSpans, wait);
      return new TelemetryRun(name, jdk, result, simulator.requests(), simulator.port(),
          Collections.unmodifiableMap(new LinkedHashMap<>(receivers)));
    } catch (IOException | InterruptedException e) {
      return fail("could not run scenario " + name + " on " + jdk + ": " + e, e);
    } finally {
      receivers.values().forEach(OtlpReceiver::close);
      deleteQuietly(dir);
    }
  }

  private static Path classPathOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) return;
    try {
      Files.deleteIfExists(dir.resolve(".env"));
      Files.deleteIfExists(dir);
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp directory is harmless
    }
  }
}
