package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent puts its bridge into the bootstrap loader without appending to the bootstrap search path, so the JVM
 * prints nothing on the application's stderr (appending makes it print "Sharing is only supported for boot loader
 * classes because bootstrap classpath has been appended") and keeps class-data sharing. {@code -Xshare:on} makes the
 * JVM refuse to start without its CDS archive, so the warning would be printed if the agent appended.
 */
class BootstrapBridgeIT {
  private static final File JAR = new File(System.getProperty("agent.jar", "target/llm-otel-agent.jar"));

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.llmotel.agent.ShortLivedAppIT#javas")
  void theApplicationsOutputIsItsOwnAndTheBridgeIsInTheBootstrapLoader(String java) throws Exception {
    String without = run(java, false);
    String with = run(java, true);
    assertAll(with,
        () -> assertEquals("done\nbridge in the bootstrap loader: false\n", without, "without the agent"),
        () -> assertEquals("done\nbridge in the bootstrap loader: true\n", with,
            "with the agent: the same lines, nothing on stderr, and the bridge reachable from the bootstrap loader"),
        () -> assertFalse(with.contains("Sharing is only supported"), "the JVM's warning"));
  }

  /**
   * A security manager without a policy for the agent (Java 17; later JDKs refuse to enable one) refuses the agent
   * even a system property: the agent says so in one line and the application runs as without it.
   */
  @Test
  void underASecurityManagerThatRefusesTheAgentTheApplicationStillRuns() throws Exception {
    String java = System.getProperty("java.home") + "/bin/java";
    assumeTrue(Runtime.version().feature() < 18, "a JDK that can still enable a security manager");
    String without = run(java, false, null, "-Djava.security.manager");
    String with = run(java, true, null, "-Djava.security.manager");
    String line = "[llm-otel-agent] WARN not started: java.security.AccessControlException: access denied";
    List<String> others = new ArrayList<>();
    int ours = 0;
    for (String l : with.split("\n", -1)) {
      if (l.startsWith(line)) ours++;
      else others.add(l);
    }
    int agentLines = ours;
    assertAll(with,
        () -> assertTrue(without.contains("done\n"), without),
        () -> assertEquals(1, agentLines, "the agent's one line"),
        () -> assertEquals(without, String.join("\n", others), "the rest: the application's own output"));
  }

  private static String run(String java, boolean agent) throws Exception {
    return run(java, agent, "bridge");
  }

  private static String run(String java, boolean agent, String appArg, String... jvmArgs) throws Exception {
    List<String> command = new ArrayList<>(Arrays.asList(java, "-Xshare:on"));
    command.addAll(Arrays.asList(jvmArgs));
    if (agent) command.add("-javaagent:" + JAR.getAbsolutePath());
    command.addAll(Arrays.asList(
        "-cp", new File(NoLlmCallApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath(),
        NoLlmCallApp.class.getName()));
    if (appArg != null) command.add(appArg);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9"); // nothing listens: never reached
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("OTEL_JAVAAGENT_DEBUG");
    File out = File.createTempFile("bridge", ".out");
    out.deleteOnExit();
    pb.redirectErrorStream(true).redirectOutput(out);
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the application did not exit within 60 s");
    String output = new String(Files.readAllBytes(out.toPath()), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    return output;
  }
}
