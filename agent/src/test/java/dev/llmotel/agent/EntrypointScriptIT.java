package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entrypoint image's script (src/main/image/llm-otel-entrypoint.sh), run here with POSIX shells against a real
 * tiny app jar and the agent jar just built: the image's paths are moved with LLMOTEL_APP_JAR / LLMOTEL_AGENT_JAR.
 */
class EntrypointScriptIT {
  private static final File AGENT = new File(System.getProperty("agent.jar", "target/llm-otel-agent.jar"));
  private static final File SCRIPT =
      new File(System.getProperty("entrypoint.script", "src/main/image/llm-otel-entrypoint.sh"));
  private static final String APP_SOURCE = String.join("\n",
      "import java.lang.management.ManagementFactory;",
      "public class Probe {",
      "  public static void main(String[] args) throws Exception {",
      "    for (String a : args) System.out.println(\"arg=\" + a);",
      "    System.out.println(\"probe=\" + System.getProperty(\"probe\"));",
      "    System.out.println(\"other=\" + System.getProperty(\"other\"));",
      "    System.out.println(\"service=\" + System.getenv(\"OTEL_SERVICE_NAME\"));",
      "    System.out.println(\"pid=\" + ProcessHandle.current().pid());",
      "    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())",
      "      if (a.startsWith(\"-javaagent:\")) System.out.println(\"jvmarg=\" + a);",
      "    Class.forName(\"dev.llmotel.bootstrap.Bridges\", false, null);", // on the boot class path: the agent ran
      "    System.out.println(\"bridge=loaded\");",
      "    System.exit(3);",
      "  }",
      "}");

  @TempDir static Path dir;
  private static File appJar;

  @BeforeAll
  static void buildApp() throws IOException {
    Path src = dir.resolve("Probe.java");
    Files.write(src, APP_SOURCE.getBytes(StandardCharsets.UTF_8));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, "-d", dir.toString(), src.toString()));
    appJar = dir.resolve("app.jar").toFile();
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Probe");
    try (JarOutputStream jar = new JarOutputStream(new FileOutputStream(appJar), manifest)) {
      jar.putNextEntry(new JarEntry("Probe.class"));
      jar.write(Files.readAllBytes(dir.resolve("Probe.class")));
      jar.closeEntry();
    }
    // What an unquoted, globbing shell would turn JAVA_OPTS' "-Dother=*" into.
    Files.createFile(dir.resolve("-Dother=globbed"));
  }

  /** The shells the script is run with: the system's sh (dash on Debian), and bash in POSIX mode. */
  private static List<List<String>> shells() {
    List<List<String>> shells = new ArrayList<>();
    shells.add(Arrays.asList("/bin/sh"));
    for (String dash : new String[] {"/usr/bin/dash", "/bin/dash"}) {
      if (new File(dash).canExecute()) {
        shells.add(Arrays.asList(dash));
        break;
      }
    }
    if (new File("/bin/bash").canExecute()) shells.add(Arrays.asList("/bin/bash", "--posix"));
    return shells;
  }

  @Test
  void runsTheAppJarWithTheAgentAttached() throws Exception {
    for (List<String> shell : shells()) {
      Run run = run(shell, appJar.getPath(), "-Dprobe=one -Dother=*", "two words", "*", "");
      assertEquals(3, run.exit, shell + ": the app's exit status\n" + run);
      List<String> out = Arrays.asList(run.stdout.split("\n"));
      assertEquals(Arrays.asList("arg=two words", "arg=*", "arg="), out.subList(0, 3), shell + "\n" + run);
      assertTrue(out.contains("probe=one"), "JAVA_OPTS reach the JVM\n" + run);
      assertTrue(out.contains("other=*"), "JAVA_OPTS are split into words, not globbed\n" + run);
      assertTrue(out.contains("service=entrypoint-test"), "OTEL_* reach the app and the agent\n" + run);
      assertTrue(out.contains("jvmarg=-javaagent:" + AGENT.getPath()), run.toString());
      assertTrue(out.contains("bridge=loaded"), run.toString());
      // exec: the JVM replaces the shell (in a container it is PID 1 and gets docker stop's SIGTERM).
      assertTrue(out.contains("pid=" + run.pid), "java must be exec'ed by the shell\n" + run);
    }
  }

  @Test
  void runsWithoutJavaOpts() throws Exception {
    Run run = run(Arrays.asList("/bin/sh"), appJar.getPath(), null);
    assertEquals(3, run.exit, run.toString());
    assertTrue(run.stdout.startsWith("probe=null\n"), run.toString());
    assertTrue(run.stdout.contains("bridge=loaded"), run.toString());
  }

  @Test
  void missingAppJarIsExplained() throws Exception {
    for (List<String> shell : shells()) {
      String missing = dir.resolve("nothing-here/app.jar").toString();
      Run run = run(shell, missing, null);
      assertEquals(64, run.exit, run.toString());
      assertEquals("", run.stdout, "no JVM started");
      assertTrue(run.stderr.contains("no application jar at " + missing), run.toString());
      assertTrue(run.stderr.contains("docker run -v \"$PWD/your-app.jar:" + missing + ":ro\""), run.toString());
    }
  }

  /** docker run -v ./app.jar:/app/app.jar with no such file on the host mounts a new, empty directory. */
  @Test
  void aDirectoryInsteadOfTheJarIsExplained() throws Exception {
    File directory = dir.resolve("mounted-dir.jar").toFile();
    assertTrue(directory.mkdir());
    Run run = run(Arrays.asList("/bin/sh"), directory.getPath(), null);
    assertEquals(64, run.exit, run.toString());
    assertTrue(run.stderr.contains(directory.getPath() + " is a directory"), run.toString());
  }

  @Test
  void defaultsAreTheImagePaths() throws Exception {
    assumeFalse(new File("/app/app.jar").exists(), "this machine has an /app/app.jar");
    Run run = run(Arrays.asList("/bin/sh"), null, null);
    assertEquals(64, run.exit, run.toString());
    assertTrue(run.stderr.contains("no application jar at /app/app.jar"), run.toString());
  }

  @Test
  void missingAgentJarIsExplained() throws Exception {
    ProcessBuilder pb = command(Arrays.asList("/bin/sh"), appJar.getPath(), null);
    pb.environment().put("LLMOTEL_AGENT_JAR", dir.resolve("no-agent.jar").toString());
    Run run = new Run(pb);
    assertEquals(64, run.exit, run.toString());
    assertTrue(run.stderr.contains("the agent jar is missing at " + dir.resolve("no-agent.jar")), run.toString());
  }

  private static Run run(List<String> shell, String appJar, String javaOpts, String... args) throws Exception {
    return new Run(command(shell, appJar, javaOpts, args));
  }

  private static ProcessBuilder command(List<String> shell, String appJar, String javaOpts, String... args) {
    List<String> command = new ArrayList<>(shell);
    command.add(SCRIPT.getPath());
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", new File(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
    env.put("LLMOTEL_AGENT_JAR", AGENT.getPath());
    if (appJar != null) env.put("LLMOTEL_APP_JAR", appJar);
    if (javaOpts != null) env.put("JAVA_OPTS", javaOpts);
    env.put("OTEL_SERVICE_NAME", "entrypoint-test");
    env.put("OTEL_TRACES_EXPORTER", "none");
    env.put("OTEL_METRICS_EXPORTER", "none");
    env.put("OTEL_LOGS_EXPORTER", "none");
    pb.directory(dir.toFile());
    return pb;
  }

  private static final class Run {
    final long pid;
    final int exit;
    final String stdout;
    final String stderr;

    Run(ProcessBuilder pb) throws Exception {
      File out = File.createTempFile("entrypoint", ".out", dir.toFile());
      File err = File.createTempFile("entrypoint", ".err", dir.toFile());
      pb.redirectOutput(out).redirectError(err);
      Process p = pb.start();
      pid = p.pid();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("timed out: " + pb.command());
      }
      exit = p.exitValue();
      stdout = new String(Files.readAllBytes(out.toPath()), StandardCharsets.UTF_8);
      stderr = new String(Files.readAllBytes(err.toPath()), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }
}
