package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The agent image (target/llm-otel-agent-image.tar, written by Jib's buildTar FROM scratch) is a well-formed
 * docker-archive that carries exactly the jar just built at /javaagent/llm-otel-agent.jar, under the tags users load.
 */
class AgentImageIT {
  private static final File JAR = new File(System.getProperty("agent.jar", "target/llm-otel-agent.jar"));
  private static final File IMAGE = new File(JAR.getParentFile(), "llm-otel-agent-image.tar");
  private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");

  @Test
  void imageCarriesOnlyTheAgentJar() throws Exception {
    ImageArchive image = new ImageArchive(IMAGE);
    assertEquals(Arrays.asList("llm-otel-agent:" + VERSION, "llm-otel-agent:latest"), image.repoTags());

    Map<String, ImageArchive.Entry> files = image.files();
    assertEquals(1, files.size(), files.keySet().toString());
    ImageArchive.Entry jar = files.get("javaagent/llm-otel-agent.jar");
    assertNotNull(jar, files.keySet().toString());
    assertArrayEquals(Files.readAllBytes(JAR.toPath()), jar.content);
    assertEquals(0644, jar.mode & 07777, Integer.toOctalString(jar.mode));
  }

  @Test
  void layersAreTheOnesTheConfigNames() throws Exception {
    ImageArchive image = new ImageArchive(IMAGE);
    @SuppressWarnings("unchecked")
    Map<String, Object> rootfs = (Map<String, Object>) image.config.get("rootfs");
    assertEquals("layers", rootfs.get("type"));
    assertEquals(image.diffIds, rootfs.get("diff_ids"), "docker load checks each layer against its diff_id");
    assertEquals("linux", image.config.get("os"));
    assertEquals("amd64", image.config.get("architecture"));
  }

  @Test
  void configurationDescribesAJarOnlyImage() throws Exception {
    ImageArchive image = new ImageArchive(IMAGE);
    Map<String, Object> config = image.containerConfig();
    assertNull(config.get("Entrypoint"), "nothing to run in a scratch image: " + config);
    assertNull(config.get("Cmd"), config.toString());
    assertEquals("/javaagent", config.get("WorkingDir"));
    EntrypointImageConfigIT.assertNonRootUser(config.get("User"));
    Map<String, Object> labels = image.labels();
    assertEquals("llm-otel-agent", labels.get("org.opencontainers.image.title"));
    assertEquals(VERSION, labels.get("org.opencontainers.image.version"));
    assertEquals("Apache-2.0", labels.get("org.opencontainers.image.licenses"));
    assertNotNull(labels.get("org.opencontainers.image.description"));
  }

  /** Reproducible: fixed creation and file times, so the same jar always gives the same image digest. */
  @Test
  void timestampsAreFixed() throws Exception {
    ImageArchive image = new ImageArchive(IMAGE);
    assertEquals("1970-01-01T00:00:00Z", image.config.get("created"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> history = (List<Map<String, Object>>) image.config.get("history");
    for (Map<String, Object> step : history) assertEquals("1970-01-01T00:00:00Z", step.get("created"));
    for (Map<String, ImageArchive.Entry> layer : image.layers) {
      for (ImageArchive.Entry e : layer.values()) assertEquals(1, e.mtimeSeconds, e.path);
    }
  }

  /**
   * ...and the jar itself is written with one fixed time for every entry, so rebuilding it on the same machine gives
   * the same bytes (not across machines: Ant writes zip times in the build JVM's time zone, and the manifest names
   * the JDK that built it).
   */
  @Test
  void agentJarEntriesShareOneFixedTime() throws Exception {
    Set<Long> times = new HashSet<>();
    try (JarFile jar = new JarFile(JAR)) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) times.add(e.nextElement().getTime());
    }
    assertEquals(1, times.size(), times.toString());
  }
}
