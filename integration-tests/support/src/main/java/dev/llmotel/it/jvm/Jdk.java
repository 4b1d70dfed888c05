package dev.llmotel.it.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** An installed JDK the scenarios run on: its home and feature version (17, 21, 25, ...). */
public record Jdk(Path home, int feature) {
  /** Where other JDKs are looked for; override with {@code -Dit.jdk.dir=...}. */
  public static final String JDK_DIR_PROPERTY = "it.jdk.dir";
  /** Where a JDK 8 is, when not under {@code /usr/lib/jvm}: {@code -Dit.jdk8.home=...}. */
  public static final String JDK8_HOME_PROPERTY = "it.jdk8.home";

  /** The JDK running the tests. */
  public static Jdk current() {
    return new Jdk(realPath(Path.of(System.getProperty("java.home"))), Runtime.version().feature());
  }

  /** The current JDK followed by every JDK under {@code /usr/lib/jvm} with a higher feature version. */
  public static List<Jdk> all() {
    List<Jdk> all = new ArrayList<>();
    all.add(current());
    all.addAll(newerInstalled());
    return all;
  }

  /** JDKs under {@code /usr/lib/jvm} (one per feature version) newer than the current one, oldest first. */
  public static List<Jdk> newerInstalled() {
    int own = Runtime.version().feature();
    List<Jdk> found = new ArrayList<>();
    for (Jdk jdk : installed()) if (jdk.feature > own) found.add(jdk);
    return found;
  }

  /**
   * A JDK 8 to run the apps compiled for Java 8 on: {@code -Dit.jdk8.home=...} if given, else one under
   * {@code /usr/lib/jvm}. Empty when there is none (no JDK 8 ships with these machines; see the tests that use it).
   */
  public static Optional<Jdk> java8() {
    String home = System.getProperty(JDK8_HOME_PROPERTY, "");
    if (!home.isEmpty()) return read(realPath(Path.of(home))).filter(jdk -> jdk.feature == 8);
    return installed().stream().filter(jdk -> jdk.feature == 8).findFirst();
  }

  /** JDKs under {@code /usr/lib/jvm} (or {@code -Dit.jdk.dir}), one per feature version, oldest first. */
  private static List<Jdk> installed() {
    Path dir = Path.of(System.getProperty(JDK_DIR_PROPERTY, "/usr/lib/jvm"));
    List<Jdk> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) return found;
    try (Stream<Path> entries = Files.list(dir)) {
      entries.map(Jdk::realPath).distinct().sorted().forEach(home -> read(home).ifPresent(jdk -> {
        if (found.stream().noneMatch(f -> f.feature == jdk.feature)) found.add(jdk);
      }));
    } catch (IOException e) {
      return found;
    }
    found.sort(Comparator.comparingInt(Jdk::feature));
    return found;
  }

  /** The {@code java} launcher of this JDK. */
  public Path javaExecutable() { return home.resolve("bin").resolve("java"); }

  /**
   * A JDK home recognised by {@code bin/java} and its {@code release} file, or, for a Java 8 home without one (Debian's
   * and Ubuntu's {@code openjdk-8} packages ship none), the {@code Specification-Version} of its {@code rt.jar}.
   */
  static Optional<Jdk> read(Path home) {
    if (!Files.isExecutable(home.resolve("bin").resolve("java"))) return Optional.empty();
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) return readRtJar(home);
    try (var in = Files.newInputStream(release)) {
      Properties p = new Properties();
      p.load(in);
      String version = p.getProperty("JAVA_VERSION", "").replace("\"", "");
      return parseFeature(version).map(feature -> new Jdk(home, feature));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Jdk> readRtJar(Path home) {
    for (Path rt : List.of(home.resolve("jre/lib/rt.jar"), home.resolve("lib/rt.jar"))) {
      if (!Files.isRegularFile(rt)) continue;
      try (JarFile jar = new JarFile(rt.toFile())) {
        Manifest manifest = jar.getManifest();
        String version = manifest == null ? null : manifest.getMainAttributes().getValue("Specification-Version");
        return version == null ? Optional.empty() : parseFeature(version).map(feature -> new Jdk(home, feature));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** "25.0.1" → 25, "1.8.0_402" → 8, "21" → 21. */
  static Optional<Integer> parseFeature(String version) {
    String[] parts = version.split("[._+-]");
    if (parts.length == 0 || parts[0].isEmpty()) return Optional.empty();
    try {
      int first = Integer.parseInt(parts[0]);
      return Optional.of(first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  /** "JDK 25 (/usr/lib/jvm/temurin-25-jdk-amd64)": used as the parameterized test's name. */
  @Override
  public String toString() { return "JDK " + feature + " (" + home + ")"; }
}
