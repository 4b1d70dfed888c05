package dev.llmotel.agent.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service files come from the agent's jar alone (the parent, whose JDK modules declare their providers in their module
 * descriptors, is not walked for them); every other resource is looked up parent first, as before.
 */
class AgentClassLoaderServicesTest {
  /** A provider the agent's loader defines from the jar. */
  public static final class Provider implements Runnable {
    @Override
    public void run() {}
  }

  /** A parent that records the resources it is asked for and has one of each. */
  static final class RecordingParent extends ClassLoader {
    final List<String> asked = Collections.synchronizedList(new ArrayList<>());

    RecordingParent() {
      super(null);
    }

    @Override
    protected URL findResource(String name) {
      asked.add(name);
      return url(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
      asked.add(name);
      return Collections.enumeration(Collections.singletonList(url(name)));
    }

    private static URL url(String name) {
      try {
        return new URL("file:/parent/" + name);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static File agentJar(File dir) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(AgentClassLoader.PREFIX + AgentClassLoader.SERVICES + Runnable.class.getName(),
        (Provider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
    entries.put(AgentClassLoader.PREFIX + "own.properties", "a=1\n".getBytes(StandardCharsets.UTF_8));
    return TestAgentJars.withClass(dir, Provider.class, entries);
  }

  @Test
  void serviceFilesComeFromTheJarAloneAndTheParentIsNotWalkedForThem(@TempDir File dir) throws Exception {
    File jarFile = agentJar(dir);
    RecordingParent parent = new RecordingParent();
    try (JarFile jar = new JarFile(jarFile, false)) {
      AgentClassLoader loader = new AgentClassLoader(jar, jarFile.toURI().toURL(), parent);

      List<URL> found = Collections.list(loader.getResources(AgentClassLoader.SERVICES + Runnable.class.getName()));
      assertEquals(1, found.size(), found.toString());
      assertTrue(found.get(0).toString().endsWith("!/inst/META-INF/services/java.lang.Runnable"), found.toString());
      assertFalse(loader.getResources(AgentClassLoader.SERVICES + "com.example.None").hasMoreElements());

      List<Runnable> providers = new ArrayList<>();
      for (Runnable r : ServiceLoader.load(Runnable.class, loader)) providers.add(r);
      assertEquals(1, providers.size());
      assertEquals(loader, providers.get(0).getClass().getClassLoader(), "defined by the agent's loader");
      assertEquals(Provider.class.getName(), providers.get(0).getClass().getName());

      assertTrue(parent.asked.stream().noneMatch(n -> n.startsWith(AgentClassLoader.SERVICES)), parent.asked.toString());

      // other resources: parent first, then the jar, as any loader
      List<URL> other = Collections.list(loader.getResources("own.properties"));
      assertEquals(2, other.size(), other.toString());
      assertEquals("file:/parent/own.properties", other.get(0).toString());
      assertTrue(parent.asked.contains("own.properties"));
    }
  }
}
