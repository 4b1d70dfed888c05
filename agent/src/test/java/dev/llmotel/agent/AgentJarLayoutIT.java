package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import dev.llmotel.agent.launcher.AgentLauncher;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** Checks the packaged agent jar: what an application could load from it, and the agent's bytecode level. */
class AgentJarLayoutIT {
  private static final File JAR = new File(System.getProperty("agent.jar", "target/llm-otel-agent.jar"));

  @Test
  void onlyTheLauncherAndTheBridgeAreLoadableClasses() throws IOException {
    List<String> topLevel = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR)) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith(".class")) topLevel.add(name);
      }
    }
    assertFalse(topLevel.isEmpty());
    for (String name : topLevel) {
      assertTrue(name.startsWith("dev/llmotel/agent/launcher/") || name.startsWith("dev/llmotel/bootstrap/"),
          "loadable by an application class loader: " + name);
    }
  }

  /**
   * No service file at the top of the {@code -javaagent} jar (which is on the system class path: an application's own
   * {@code ServiceLoader} would find it); the extension jar is the same jar plus the two service files the
   * OpenTelemetry Java agent's extension loader reads.
   */
  @Test
  void onlyTheExtensionJarListsServices() throws IOException {
    File extensionJar = new File(JAR.getParentFile(), "llm-otel-agent-extension.jar");
    List<String> agentEntries = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR)) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        assertFalse(name.startsWith("META-INF/services/") && !name.equals("META-INF/services/"), name);
        agentEntries.add(name);
      }
    }
    List<String> extensionOnly = new ArrayList<>();
    try (JarFile jar = new JarFile(extensionJar)) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (!agentEntries.remove(name) && !name.endsWith("/")) extensionOnly.add(name);
      }
    }
    assertEquals(Arrays.asList("META-INF/services/io.opentelemetry.javaagent.extension.AgentListener",
        "META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider"),
        new ArrayList<>(new TreeSet<>(extensionOnly)));
    agentEntries.removeIf(name -> name.endsWith("/"));
    assertEquals(new ArrayList<String>(), agentEntries, "in the agent jar, not in the extension jar");
  }

  /** The launcher defines the bridge's classes by name: its list must be every bridge class the jar holds. */
  @Test
  void theLaunchersBridgeListIsTheJarsBridge() throws Exception {
    Set<String> inJar = new TreeSet<>();
    try (JarFile jar = new JarFile(JAR)) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.startsWith("dev/llmotel/bootstrap/") && name.endsWith(".class")
            && !name.endsWith("package-info.class")) {
          inJar.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
        }
      }
    }
    Field list = AgentLauncher.class.getDeclaredField("BRIDGE_CLASSES");
    list.setAccessible(true);
    assertFalse(inJar.isEmpty());
    assertEquals(inJar, new TreeSet<>(Arrays.asList((String[]) list.get(null))));
  }

  @Test
  void bundledLibrariesAreStoredOutOfSight() throws IOException {
    try (JarFile jar = new JarFile(JAR)) {
      for (String lib : new String[] {"io/opentelemetry/sdk/OpenTelemetrySdk",
          "io/opentelemetry/exporter/sender/jdk/internal/JdkHttpSender", "com/fasterxml/jackson/core/JsonFactory",
          "net/bytebuddy/ByteBuddy"}) {
        assertNull(jar.getEntry(lib + ".class"), lib + " must not be loadable");
        assertNotNull(jar.getEntry("inst/" + lib + ".classdata"), lib + " must be bundled under inst/");
      }
      assertNotNull(jar.getEntry("inst/META-INF/services/dev.llmotel.hook.HookInstrumentation"));
    }
  }

  /**
   * Export goes over the JDK's own HTTP client: no OkHttp, Okio or Kotlin (2.8 MB) in the jar, and no service file
   * naming a Java 11 sender (a Java 8 JVM would fail to load it); ByteBuddy's AgentBuilder and build plugins are left
   * out, and the jar stays within the 6 MB target (issue 13).
   */
  @Test
  void onlyWhatTheAgentLoadsIsBundled() throws IOException {
    try (JarFile jar = new JarFile(JAR)) {
      for (String absent : new String[] {"inst/okhttp3/OkHttpClient.classdata", "inst/okio/Buffer.classdata",
          "inst/kotlin/Unit.classdata", "inst/net/bytebuddy/agent/builder/AgentBuilder.classdata",
          "inst/net/bytebuddy/build/Plugin.classdata",
          "inst/META-INF/services/io.opentelemetry.sdk.common.export.HttpSenderProvider",
          "inst/META-INF/services/io.opentelemetry.sdk.common.export.GrpcSenderProvider"}) {
        assertNull(jar.getEntry(absent), absent);
      }
    }
    long size = JAR.length();
    assertTrue(size <= 6_000_000L, "agent jar " + size + " bytes, over the 6 MB target");
  }

  /**
   * The SDK's resource providers, but the instance id from the agent's own: the SDK's sets up the JDK's SecureRandom
   * as it loads (the build removes its line from the merged services file).
   */
  @Test
  void theInstanceIdProviderIsTheAgentsOwn() throws IOException {
    String file = "inst/META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.ResourceProvider";
    List<String> providers = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR); InputStream in = jar.getInputStream(jar.getEntry(file))) {
      for (String line : new String(readAll(in), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (!line.trim().isEmpty()) providers.add(line.trim());
      }
    }
    assertTrue(providers.contains("dev.llmotel.export.InstanceIdResourceProvider"), providers.toString());
    assertTrue(providers.contains("io.opentelemetry.sdk.autoconfigure.EnvironmentResourceProvider"),
        providers.toString());
    assertFalse(providers.contains("io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider"),
        providers.toString());
  }

  private static byte[] readAll(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = in.read(buf)) != -1; ) out.write(buf, 0, n);
    return out.toByteArray();
  }

  @Test
  void agentCodeIsJava8Bytecode() throws IOException {
    int checked = 0;
    try (JarFile jar = new JarFile(JAR)) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String name = entry.getName();
        boolean ours = name.startsWith("dev/llmotel/") || name.startsWith("inst/dev/llmotel/");
        if (!ours || !(name.endsWith(".class") || name.endsWith(".classdata"))) continue;
        try (InputStream in = jar.getInputStream(entry)) {
          DataInputStream data = new DataInputStream(in);
          assertEquals(0xCAFEBABE, data.readInt(), name);
          data.readUnsignedShort();
          assertEquals(52, data.readUnsignedShort(), name + " must be Java 8 bytecode");
          checked++;
        }
      }
    }
    assertTrue(checked > 30, "checked " + checked);
  }

  @Test
  void manifestDeclaresTheAgent() throws IOException {
    try (JarFile jar = new JarFile(JAR)) {
      Manifest m = jar.getManifest();
      assertEquals("dev.llmotel.agent.launcher.AgentLauncher", m.getMainAttributes().getValue("Premain-Class"));
      assertEquals("true", m.getMainAttributes().getValue("Can-Retransform-Classes"));
    }
  }
}
