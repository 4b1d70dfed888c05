package dev.llmotel.it.jvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Launches {@code java -jar app.jar args...} on a given JDK, with or without {@code -javaagent:<agent jar>}, with
 * an environment cleared of inherited {@code OTEL_*} / {@code JAVA_TOOL_OPTIONS} settings plus the ones given.
 * stdout and stderr go to separate files (no pipe can fill up); the process is killed after the timeout.
 */
public final class AgentJvm {
  private final Jdk jdk;
  private final Path appJar;
  private Path agentJar;
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> appArgs = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private Duration timeout = Duration.ofSeconds(90);

  private AgentJvm(Jdk jdk, Path appJar) {
    this.jdk = jdk;
    this.appJar = appJar;
  }

  public static AgentJvm app(Jdk jdk, Path appJar) { return new AgentJvm(jdk, appJar); }

  /** Attaches the agent; null leaves it off. */
  public AgentJvm agent(Path agentJar) {
    this.agentJar = agentJar;
    return this;
  }

  public AgentJvm jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  public AgentJvm args(String... args) {
    appArgs.addAll(List.of(args));
    return this;
  }

  public AgentJvm env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public AgentJvm env(Map<String, String> values) {
    env.putAll(values);
    return this;
  }

  public AgentJvm timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /**
   * The agent's settings for a run against a local receiver: OTLP endpoint, service name, a short batch delay and no
   * metrics export.
   */
  public static Map<String, String> agentEnvironment(String otlpEndpoint, String serviceName) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
    env.put("OTEL_SERVICE_NAME", serviceName);
    env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
    env.put("OTEL_METRICS_EXPORTER", "none");
    env.put("OTEL_LOGS_EXPORTER", "none");
    return env;
  }

  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(jdk.javaExecutable().toString());
    if (agentJar != null) cmd.add("-javaagent:" + agentJar);
    cmd.addAll(jvmArgs);
    cmd.add("-jar");
    cmd.add(appJar.toString());
    cmd.addAll(appArgs);
    return cmd;
  }

  /** Runs the JVM to its end (or the timeout) and returns what it did. */
  public JvmRun run() throws IOException, InterruptedException {
    List<String> command = command();
    Path dir = Files.createTempDirectory("agent-jvm");
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("JAVA_TOOL_OPTIONS")
        || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process process = pb.start();
    boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    JvmRun run = new JvmRun(command, finished ? process.exitValue() : -1,
        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), elapsed,
        !finished);
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    Files.deleteIfExists(dir);
    return run;
  }
}
