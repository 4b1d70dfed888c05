package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmotel.it.jvm.Jdk;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The sample apps compiled for Java 8 (raw OkHttp, {@code HttpURLConnection}, Apache HttpClient 5, openai-java chat and
 * Responses, anthropic-java, google-genai, AWS Bedrock, OkHttp 3.14 + Jackson 2.9 pinned, the OpenTelemetry API 1.32
 * bridge) run on a JDK 8 as well, where one is installed: the agent's own bytecode is Java 8's, and these runs are
 * what shows it starts, hooks and exports there. No JDK 8 ships with these machines or CI's; a run with one:
 * {@code -Dit.jdk8.home=<JDK 8 home>}, or a JDK 8 under {@code /usr/lib/jvm} ({@link Jdk#java8()}).
 */
final class Java8Apps {
  private Java8Apps() {}

  /** A JDK 8 first where there is one, then the current JDK and every newer one. */
  static List<Jdk> jdks() {
    List<Jdk> jdks = new ArrayList<>();
    Jdk.java8().ifPresent(jdks::add);
    jdks.addAll(Jdk.all());
    return jdks;
  }

  /**
   * The app's main class (its jar's {@code Main-Class}) is Java 8 bytecode (class file version 52), and a JDK 8 is here
   * to run it on.
   */
  static void assumeJava8Run(String app) throws IOException {
    try (JarFile jar = new JarFile(TestArtifacts.appJar(app).toFile())) {
      String mainClass = jar.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
      assertNotNull(mainClass, app + "'s jar names no Main-Class");
      try (InputStream in = jar.getInputStream(jar.getEntry(mainClass.replace('.', '/') + ".class"))) {
        DataInputStream data = new DataInputStream(in);
        data.readInt(); // magic
        data.readUnsignedShort(); // minor
        assertEquals(52, data.readUnsignedShort(), mainClass + " should be compiled for Java 8");
      }
    }
    String given = System.getProperty(Jdk.JDK8_HOME_PROPERTY, "");
    String none = given.isEmpty() ? "no JDK 8 here (none under /usr/lib/jvm, no -D" + Jdk.JDK8_HOME_PROPERTY + ")"
        : "-D" + Jdk.JDK8_HOME_PROPERTY + "=" + given + " is not a JDK 8 home (bin/java and a release file or rt.jar)";
    assumeTrue(Jdk.java8().isPresent(), none + ": the " + app + " app's runs on Java 8 are skipped; it ran on "
        + Jdk.all());
  }
}
