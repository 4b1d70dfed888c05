package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where the agent jar and the sample apps' jars are: system properties {@code agent.jar} and {@code it.apps.dir}
 * (set by the pom), else the paths relative to this module's directory.
 */
final class TestArtifacts {
  private TestArtifacts() {}

  private static Set<Path> agentCandidates() {
    Set<Path> candidates = new LinkedHashSet<>();
    String property = System.getProperty("agent.jar");
    if (property != null && !property.isBlank()) candidates.add(Path.of(property).toAbsolutePath().normalize());
    candidates.add(Path.of("../../agent/target/llm-otel-agent.jar").toAbsolutePath().normalize());
    return candidates;
  }

  /** The agent jar, if it has been built. */
  static Optional<Path> agentJar() {
    return agentCandidates().stream().filter(Files::isRegularFile).findFirst();
  }

  /** Why agent-attached runs cannot happen, for failure messages. */
  static String agentMissing() {
    return "agent jar not found (looked at " + agentCandidates() + "): build it first, e.g. "
        + "`mvn -B -pl agent -am install -DskipTests`, or pass -Dagent.jar=<path>";
  }

  /** The agent jar, or a failed test saying it is missing. */
  static Path requireAgentJar() {
    return agentJar().orElseGet(() -> fail(agentMissing()));
  }

  /**
   * The extension jar for the OpenTelemetry Java agent ({@code llm-otel-agent-extension.jar}, built beside the agent
   * jar), or a failed test saying it is missing.
   */
  static Path requireExtensionJar() {
    Path jar = requireAgentJar().resolveSibling("llm-otel-agent-extension.jar");
    if (!Files.isRegularFile(jar)) fail("extension jar not found at " + jar + ": build the agent module");
    return jar;
  }

  /** {@code <apps>/<name>/target/app.jar}, or a failed test saying how to build it. */
  static Path appJar(String name) {
    return appJar(name, "app.jar");
  }

  /** {@code <apps>/<name>/target/<jarFile>} (an app may build several jars), or a failed test saying how to build it. */
  static Path appJar(String name, String jarFile) {
    String dir = System.getProperty("it.apps.dir", "../apps");
    Path jar = Path.of(dir, name, "target", jarFile).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      fail("sample app jar not found: " + jar + " — build it with `mvn -B -pl integration-tests/apps/" + name
          + " package`");
    }
    return jar;
  }
}
