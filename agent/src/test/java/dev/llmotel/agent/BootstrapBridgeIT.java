package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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
    List<String> args = new ArrayList<>(Arrays.asList("-Xshare:on"));
    args.addAll(Arrays.asList(jvmArgs));
    NoLlmCallRun run = NoLlmCallRun.run(java, agent, false, Collections.<String, String>emptyMap(), args,
        appArg == null ? new String[0] : new String[] {appArg});
    assertEquals(0, run.exitValue, run.output);
    return run.output;
  }
}
