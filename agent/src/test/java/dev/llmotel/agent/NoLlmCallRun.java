package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@link NoLlmCallApp} in a JVM of its own, with or without the agent jar under test: its output (stdout
 * and stderr together), exit value, wall time and, when asked for, its class-load log. The OTLP endpoint is a local
 * port nothing listens on; the caller's {@code JAVA_TOOL_OPTIONS} and {@code OTEL_JAVAAGENT_DEBUG} are not passed on.
 */
final class NoLlmCallRun {
  static final File JAR = new File(System.getProperty("agent.jar", "target/llm-otel-agent.jar"));

  final String output;
  final int exitValue;
  final long millis;
  /** The JVM's {@code -Xlog:class+load} lines, or "" when not asked for. */
  final String classLoads;

  private NoLlmCallRun(String output, int exitValue, long millis, String classLoads) {
    this.output = output;
    this.exitValue = exitValue;
    this.millis = millis;
    this.classLoads = classLoads;
  }

  static NoLlmCallRun run(String java, boolean agent, boolean classLog, Map<String, String> env, List<String> jvmArgs,
      String... appArgs) throws Exception {
    File log = null;
    List<String> command = new ArrayList<>();
    command.add(java);
    if (classLog) {
      log = File.createTempFile("class-load", ".log");
      log.deleteOnExit();
      command.add("-Xlog:class+load=info:file=" + log.getAbsolutePath());
    }
    command.addAll(jvmArgs);
    if (agent) command.add("-javaagent:" + JAR.getAbsolutePath());
    // the application's class only: no library a hook targets is on its class path
    command.addAll(Arrays.asList(
        "-cp", new File(NoLlmCallApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath(),
        NoLlmCallApp.class.getName()));
    command.addAll(Arrays.asList(appArgs));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9"); // nothing listens: never reached
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("OTEL_JAVAAGENT_DEBUG");
    pb.environment().putAll(env);
    File out = File.createTempFile("no-llm-call", ".out");
    out.deleteOnExit();
    pb.redirectErrorStream(true).redirectOutput(out);
    long start = System.nanoTime();
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the application did not exit within 60 s");
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new NoLlmCallRun(new String(Files.readAllBytes(out.toPath()), StandardCharsets.UTF_8), p.exitValue(),
        millis, log == null ? "" : new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8));
  }
}
