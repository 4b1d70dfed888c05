package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The entrypoint image (a JRE base + the agent + an entrypoint running /app/app.jar): its base cannot be pulled here,
 * so the build also writes the same Jib configuration on an empty base (target/jib-check/entrypoint-image-on-scratch
 * .tar, execution entrypoint-image-config) and this test reads it: entrypoint, environment, labels, working directory,
 * user and files. The last test pins, on the pom, that this check and the real build (profile entrypoint-image)
 * differ only in the base image and the output file.
 */
class EntrypointImageConfigIT {
  private static final File JAR = new File(System.getProperty("agent.jar", "target/llm-otel-agent.jar"));
  private static final File CHECK_IMAGE = new File(JAR.getParentFile(), "jib-check/entrypoint-image-on-scratch.tar");
  private static final File AGENT_IMAGE = new File(JAR.getParentFile(), "llm-otel-agent-image.tar");
  private static final File SCRIPT =
      new File(System.getProperty("entrypoint.script", "src/main/image/llm-otel-entrypoint.sh"));
  private static final File POM = new File(System.getProperty("basedir", "."), "pom.xml");
  private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");

  static void assertNonRootUser(Object user) {
    assertTrue(user instanceof String && !((String) user).isEmpty(), "a user must be set (else root): " + user);
    String name = ((String) user).split(":")[0];
    assertNotEquals("0", name, "root by id");
    assertNotEquals("root", name);
  }

  @Test
  void entrypointRunsTheScriptWithSh() throws Exception {
    Map<String, Object> config = new ImageArchive(CHECK_IMAGE).containerConfig();
    assertEquals(Arrays.asList("/bin/sh", "/usr/local/bin/llm-otel-entrypoint.sh"), config.get("Entrypoint"));
    assertNull(config.get("Cmd"), "arguments after the image name go to the app: " + config);
  }

  @Test
  void environmentNamesTheJarsAndNothingElse() throws Exception {
    ImageArchive image = new ImageArchive(CHECK_IMAGE);
    Map<String, String> env = image.env();
    assertEquals("/javaagent/llm-otel-agent.jar", env.get("LLMOTEL_AGENT_JAR"));
    assertEquals("/app/app.jar", env.get("LLMOTEL_APP_JAR"));
    assertEquals(2, env.size(), "OTEL_* and backend variables are the user's to set: " + env);
    // The script's own defaults are the image's values, so it behaves the same with the variables unset.
    String script = new String(Files.readAllBytes(SCRIPT.toPath()), StandardCharsets.UTF_8);
    for (Map.Entry<String, String> e : env.entrySet()) {
      assertTrue(script.contains("${" + e.getKey() + ":-" + e.getValue() + "}"), e + " in " + SCRIPT);
    }
    // The agent jar the variable names is in the image; the app jar's directory is the working directory.
    assertTrue(image.files().containsKey(env.get("LLMOTEL_AGENT_JAR").substring(1)));
    assertEquals("/app", image.containerConfig().get("WorkingDir"));
  }

  @Test
  void labelsAndUser() throws Exception {
    ImageArchive image = new ImageArchive(CHECK_IMAGE);
    assertNonRootUser(image.containerConfig().get("User"));
    Map<String, Object> labels = image.labels();
    assertEquals("llm-otel-agent-entrypoint", labels.get("org.opencontainers.image.title"));
    assertEquals(VERSION, labels.get("org.opencontainers.image.version"));
    assertEquals("Apache-2.0", labels.get("org.opencontainers.image.licenses"));
    assertNotNull(labels.get("org.opencontainers.image.description"));
    assertTrue(String.valueOf(labels.get("org.opencontainers.image.base.name")).matches("eclipse-temurin:\\d+-jre"),
        labels.toString());
    assertEquals("1970-01-01T00:00:00Z", image.config.get("created"));
  }

  @Test
  void filesAreTheAgentAndTheScript() throws Exception {
    ImageArchive image = new ImageArchive(CHECK_IMAGE);
    Map<String, ImageArchive.Entry> files = image.files();
    assertEquals(2, files.size(), "nothing of Jib's /app layers (classes, libs) may remain: " + files.keySet());
    ImageArchive.Entry jar = files.get("javaagent/llm-otel-agent.jar");
    assertArrayEquals(Files.readAllBytes(JAR.toPath()), jar.content);
    assertEquals(0644, jar.mode & 07777);
    ImageArchive.Entry script = files.get("usr/local/bin/llm-otel-entrypoint.sh");
    assertArrayEquals(Files.readAllBytes(SCRIPT.toPath()), script.content);
    assertEquals(0755, script.mode & 07777, Integer.toOctalString(script.mode));
    // The jar's layer is the agent image's layer, byte for byte: a host that has one image stores it once.
    assertEquals(new ImageArchive(AGENT_IMAGE).diffIds.get(0), image.diffIds.get(0));
  }

  /**
   * The check image above is the real entrypoint image but for its base: the plugin-level configuration is the
   * entrypoint image's, the check execution overrides only from/to/outputPaths, and the profile that builds the
   * real one (mvn -pl agent -am package -Pentrypoint-image, where the base can be pulled) only its output paths.
   */
  @Test
  void realBuildDiffersFromTheCheckOnlyInBaseAndOutput() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(false);
    Document pom = factory.newDocumentBuilder().parse(POM);
    Element project = pom.getDocumentElement();

    Element jib = jibPlugin(child(project, "build"));
    Element base = child(child(child(jib, "configuration"), "from"), "image");
    assertEquals("${llmotel.entrypoint.base}", base.getTextContent().trim());
    String baseImage = child(child(project, "properties"), "llmotel.entrypoint.base").getTextContent().trim();
    assertTrue(baseImage.matches("eclipse-temurin:\\d+-jre"), baseImage);

    Element check = execution(jib, "entrypoint-image-config");
    assertEquals(Arrays.asList("from", "to", "outputPaths"), childNames(child(check, "configuration")));
    assertEquals("scratch", child(child(child(check, "configuration"), "from"), "image").getTextContent().trim());

    Element profile = null;
    for (Element p : children(child(project, "profiles"), "profile")) {
      if (child(p, "id").getTextContent().trim().equals("entrypoint-image")) profile = p;
    }
    assertNotNull(profile, "profile entrypoint-image");
    Element real = execution(jibPlugin(child(profile, "build")), "entrypoint-image");
    assertEquals(Arrays.asList("outputPaths"), childNames(child(real, "configuration")));
    assertEquals("buildTar", child(child(real, "goals"), "goal").getTextContent().trim());
  }

  private static Element jibPlugin(Element build) {
    for (Element plugin : children(child(build, "plugins"), "plugin")) {
      if (child(plugin, "artifactId").getTextContent().trim().equals("jib-maven-plugin")) return plugin;
    }
    throw new AssertionError("no jib-maven-plugin");
  }

  private static Element execution(Element plugin, String id) {
    for (Element e : children(child(plugin, "executions"), "execution")) {
      if (child(e, "id").getTextContent().trim().equals(id)) return e;
    }
    throw new AssertionError("no execution " + id);
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    assertEquals(1, found.size(), name + " under " + parent.getTagName());
    return found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && (name == null || ((Element) n).getTagName().equals(name))) found.add((Element) n);
    }
    return found;
  }

  private static List<String> childNames(Element parent) {
    List<String> names = new ArrayList<>();
    for (Element e : children(parent, null)) names.add(e.getTagName());
    return names;
  }
}
