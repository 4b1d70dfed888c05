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
 * Launches {@code java -jar app.jar args...} (or {@code java -cp <class path> <main class> args...}) on a given JDK,
 * with or without {@code -javaagent:<agent jar>}, with an environment cleared of inherited {@code OTEL_*}, backend
 * ({@code LANGFUSE_*}, {@code OPIK_*}, {@code OPENOBSERVE_*}) and {@code JAVA_TOOL_OPTIONS} settings plus the ones
 * given, in the current or a given working directory. stdout and
 * stderr go to separate files (no pipe can fill up); the process is killed after the timeout.
 */
public final class AgentJvm {
  private final Jdk jdk;
  private final Path appJar;
  private final String mainClass;
  private Path agentJar;
  private Path directory;
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> appArgs = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private Duration timeout = Duration.ofSeconds(90);

  private AgentJvm(Jdk jdk, Path appJar, String mainClass) {
    this.jdk = jdk;
    this.appJar = appJar;
    this.mainClass = mainClass;
  }

  /** {@code java -jar appJar}. */
  public static AgentJvm app(Jdk jdk, Path appJar) { return new AgentJvm(jdk, appJar, null); }

  /** {@code java -cp classPath mainClass}: an app that is a class (or directory of classes) rather than a jar. */
  public static AgentJvm mainClass(Jdk jdk, Path classPath, String mainClass) {
    return new AgentJvm(jdk, classPath, mainClass);
  }

  /** The process's working directory (where the agent looks for a {@code .env} file); default: the current one. */
  public AgentJvm directory(Path directory) {
    this.directory = directory;
    return this;
  }

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
    // The first export of a short app happens at its exit; on a loaded 2-core CI machine that can take longer than the
    // agent's 1 s default exit budget (a call's span then never arrives). Tests of the bounded exit set it back.
    env.put("OTEL_INSTRUMENTATION_LLM_SHUTDOWN_TIMEOUT_MILLIS", "5000");
    return env;
  }

  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(jdk.javaExecutable().toString());
    if (agentJar != null) cmd.add("-javaagent:" + agentJar);
    cmd.addAll(jvmArgs);
    if (mainClass == null) {
      cmd.add("-jar");
      cmd.add(appJar.toString());
    } else {
      cmd.add("-cp");
      cmd.add(appJar.toString());
      cmd.add(mainClass);
    }
    cmd.addAll(appArgs);
    return cmd;
  }

  /** Variables of the test's own environment that would configure the agent or the JVM: never passed on. */
  static boolean isInheritedSetting(String name) {
    return name.startsWith("OTEL_") || name.startsWith("LANGFUSE_") || name.startsWith("OPIK_")
        || name.startsWith("OPENOBSERVE_") || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS")
        || name.equals("_JAVA_OPTIONS");
  }

  /** Runs the JVM to its end (or the timeout) and returns what it did. */
  public JvmRun run() throws IOException, InterruptedException {
    List<String> command = command();
    Path dir = Files.createTempDirectory("agent-jvm");
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (directory != null) pb.directory(directory.toFile());
    pb.environment().keySet().removeIf(AgentJvm::isInheritedSetting);
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
