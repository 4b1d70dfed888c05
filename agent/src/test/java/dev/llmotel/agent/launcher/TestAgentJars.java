package dev.llmotel.agent.launcher;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Small agent jars for the launcher's tests: a test class stored under {@code inst/} as the build stores classes. */
final class TestAgentJars {
  private TestAgentJars() {}

  /** {@code dir/agent.jar} with {@code type}'s class file as {@code inst/<name>.classdata}, then the other entries. */
  static File withClass(File dir, Class<?> type, Map<String, byte[]> otherEntries) throws Exception {
    String path = type.getName().replace('.', '/');
    byte[] classFile;
    try (InputStream in = type.getResourceAsStream("/" + path + ".class")) {
      classFile = AgentClassLoader.read(in, -1);
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(AgentClassLoader.PREFIX + path + ".classdata", classFile);
    entries.putAll(otherEntries);
    File jarFile = new File(dir, "agent.jar");
    try (OutputStream out = Files.newOutputStream(jarFile.toPath()); JarOutputStream jar = new JarOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        jar.putNextEntry(new JarEntry(e.getKey()));
        jar.write(e.getValue());
        jar.closeEntry();
      }
    }
    return jarFile;
  }
}
