package dev.llmotel.it.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkTest {
  @Test
  void parsesFeatureVersions() {
    assertEquals(Optional.of(25), Jdk.parseFeature("25.0.1"));
    assertEquals(Optional.of(21), Jdk.parseFeature("21"));
    assertEquals(Optional.of(8), Jdk.parseFeature("1.8.0_402"));
    assertEquals(Optional.empty(), Jdk.parseFeature(""));
  }

  @Test
  void currentComesFirstAndOthersAreNewer() {
    List<Jdk> all = Jdk.all();
    assertEquals(Jdk.current(), all.get(0));
    all.stream().skip(1).forEach(j -> assertTrue(j.feature() > Jdk.current().feature(), j.toString()));
  }

  @Test
  void aHomeIsReadFromItsReleaseFile(@TempDir Path home) throws IOException {
    launcher(home);
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"21.0.9\"\n");
    assertEquals(Optional.of(new Jdk(home, 21)), Jdk.read(home));
  }

  /** Debian's and Ubuntu's openjdk-8 packages ship no release file: the version is the rt.jar's. */
  @Test
  void aJava8HomeWithoutReleaseFileIsReadFromItsRtJar(@TempDir Path dir) throws IOException {
    Path jdk = dir.resolve("jdk");
    launcher(jdk);
    rtJar(jdk.resolve("jre/lib/rt.jar"), "1.8");
    assertEquals(Optional.of(new Jdk(jdk, 8)), Jdk.read(jdk));
    Path jre = dir.resolve("jre");
    launcher(jre);
    rtJar(jre.resolve("lib/rt.jar"), "1.8");
    assertEquals(Optional.of(new Jdk(jre, 8)), Jdk.read(jre));
  }

  @Test
  void aHomeWithNeitherIsNone(@TempDir Path home) throws IOException {
    launcher(home);
    assertEquals(Optional.empty(), Jdk.read(home));
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"21\"\n");
    Files.delete(home.resolve("bin/java"));
    assertEquals(Optional.empty(), Jdk.read(home), "no launcher");
  }

  private static void launcher(Path home) throws IOException {
    Path java = home.resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, "#!/bin/sh\n");
    assertTrue(java.toFile().setExecutable(true));
  }

  private static void rtJar(Path rt, String specificationVersion) throws IOException {
    Files.createDirectories(rt.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.SPECIFICATION_VERSION, specificationVersion);
    try (OutputStream out = Files.newOutputStream(rt); JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }
  }
}
