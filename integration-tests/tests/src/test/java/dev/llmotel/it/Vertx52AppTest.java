package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * {@link VertxAppTest}'s scenarios (WebClient chat, stream read chunk by chunk, a stream the app resets, a 429) and the
 * contract of every app, with the same app built on the newest Vert.x 5 core (5.2; apps/vertx-5.2), whose request
 * writes, response end and connection close are the hook's 5.1 / 5.2 points.
 */
class Vertx52AppTest extends VertxAppTest {
  @Override
  String app() { return "vertx-5.2"; }

  /** The jar the scenarios run really carries Vert.x core 5.2 (a build on another line would test nothing new). */
  @Test
  void theAppRunsOnVertx52() throws Exception {
    Path jar = TestArtifacts.appJar(app());
    try (JarFile file = new JarFile(jar.toFile())) {
      JarEntry version = file.getJarEntry("META-INF/vertx/vertx-version.txt");
      assertNotNull(version, "no Vert.x core in " + jar);
      assertEquals("5.2.3", new String(file.getInputStream(version).readAllBytes(), StandardCharsets.UTF_8).trim(),
          jar.toString());
    }
  }
}
