package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's image recipes name the paths, files and build switches the images and the build really have. */
class ImageDocsIT {
  private static final File JAR = new File(System.getProperty("agent.jar", "target/llm-otel-agent.jar"));
  private static final File CHECK_IMAGE = new File(JAR.getParentFile(), "jib-check/entrypoint-image-on-scratch.tar");
  private static final File AGENT_IMAGE = new File(JAR.getParentFile(), "llm-otel-agent-image.tar");
  private static final File BASEDIR = new File(System.getProperty("basedir", "."));

  private static String readme() throws Exception {
    return new String(Files.readAllBytes(new File(BASEDIR, "../README.md").toPath()), StandardCharsets.UTF_8);
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex);
    return m.group(1);
  }

  @Test
  void copyFromTheAgentImageNamesItsJar() throws Exception {
    String readme = readme();
    assertTrue(readme.contains("docker load -i agent/target/" + AGENT_IMAGE.getName()));
    String copied = group(readme, "COPY --from=llm-otel-agent:latest (\\S+) ");
    assertTrue(new ImageArchive(AGENT_IMAGE).files().containsKey(copied.substring(1)), copied);
  }

  @Test
  void entrypointImageRecipe() throws Exception {
    String readme = readme();
    String pom = new String(Files.readAllBytes(new File(BASEDIR, "pom.xml").toPath()), StandardCharsets.UTF_8);
    String profile = group(readme, "mvn -B -pl agent -am package -DskipTests -P(\\S+)");
    assertTrue(pom.contains("<id>" + profile + "</id>"), profile);
    String tar = group(readme, "docker load -i agent/target/(llm-otel-agent-entrypoint\\S*\\.tar)");
    assertTrue(pom.contains("${project.build.directory}/" + tar + "</tar>"), tar);
    String mount = group(readme, "docker run --rm -v \"\\$PWD/target/my-app.jar:(\\S+):ro\"");
    assertEquals(new ImageArchive(CHECK_IMAGE).env().get("LLMOTEL_APP_JAR"), mount);
  }

  /** The Kubernetes init container copies the jar the entrypoint image really has into the volume the app reads. */
  @Test
  void kubernetesInitContainerRecipe() throws Exception {
    String yaml = group(readme(), "(?s)```yaml\\n(spec:\\n.*?initContainers:.*?)```");
    Matcher cp = Pattern.compile("command: \\[\"cp\", \"(\\S+)\", \"(\\S+)\"\\]").matcher(yaml);
    assertTrue(cp.find(), yaml);
    Map<String, ImageArchive.Entry> files = new ImageArchive(CHECK_IMAGE).files();
    assertTrue(files.containsKey(cp.group(1).substring(1)), cp.group(1) + " in the entrypoint image");
    Matcher mounts = Pattern.compile("\\{ name: llm-otel-agent, mountPath: (\\S+?)(, readOnly: true)? \\}").matcher(yaml);
    assertTrue(mounts.find(), yaml);
    String initMount = mounts.group(1);
    assertTrue(mounts.find(), yaml);
    String appMount = mounts.group(1);
    assertNotNull(mounts.group(2), "the app mounts the agent read-only");
    String copy = cp.group(2);
    assertEquals(initMount, copy.substring(0, copy.lastIndexOf('/')), "copied into the shared volume");
    String agentPath = group(yaml, "JAVA_TOOL_OPTIONS, value: \"-javaagent:(\\S+)\"");
    assertEquals(appMount + copy.substring(copy.lastIndexOf('/')), agentPath, "the app attaches the copied jar");
    assertTrue(yaml.contains("emptyDir: {}"), yaml);
  }
}
