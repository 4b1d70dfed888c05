package dev.llmotel.agent.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry point, loaded by the system class loader. It puts the tiny {@code dev.llmotel.bootstrap}
 * bridge into the bootstrap class loader (everything else is stored under {@code inst/} as {@code .classdata},
 * invisible to every application loader), then starts the agent inside an {@link AgentClassLoader}. Whatever goes
 * wrong, the application starts.
 */
public final class AgentLauncher {
  private static final String INSTALLER = "dev.llmotel.agent.installer.AgentInstaller";
  private static final String BRIDGE_DEFINER = "dev.llmotel.agent.installer.BootstrapBridge";
  /**
   * Every class of the bridge ({@code agent/bootstrap}; {@code AgentJarLayoutIT} holds this list to the jar's
   * contents). Named rather than found by walking the jar's 4,000 entries, which cost the main thread 10-16 ms.
   */
  static final String[] BRIDGE_CLASSES = {"dev.llmotel.bootstrap.Bridges", "dev.llmotel.bootstrap.CallHook",
      "dev.llmotel.bootstrap.ObjectHook", "dev.llmotel.bootstrap.ValueHook"};

  private AgentLauncher() {}

  public static void premain(String agentArgs, Instrumentation inst) {
    start(agentArgs, inst);
  }

  public static void agentmain(String agentArgs, Instrumentation inst) {
    start(agentArgs, inst);
  }

  /** {@code java -jar llm-otel-agent.jar ...}: commands that run without an application. */
  public static void main(String[] args) throws Exception {
    ClassLoader loader = agentLoader(agentJar());
    Class<?> cli = loader.loadClass("dev.llmotel.agent.installer.AgentCommand");
    Thread.currentThread().setContextClassLoader(loader);
    cli.getMethod("main", String[].class).invoke(null, (Object) args);
  }

  /**
   * See {@link OfficialAgentExtension}.
   *
   * @param hostRecordsBedrock whether the host agent records Bedrock calls as GenAI spans itself
   */
  static void startAsExtension(Instrumentation inst, boolean hostRecordsBedrock) {
    start(null, inst, "installAsExtension", hostRecordsBedrock);
  }

  private static void start(String agentArgs, Instrumentation inst) {
    start(agentArgs, inst, "install", false);
  }

  private static synchronized void start(String agentArgs, Instrumentation inst, String entry,
      boolean hostRecordsBedrock) {
    try {
      // inside the try: a security manager may refuse even this, and the application must start all the same
      if (System.getProperty("llm-otel-agent.started") != null) return;
      System.setProperty("llm-otel-agent.started", "true");
      File jar = agentJar();
      AgentClassLoader loader = agentLoader(jar);
      installBridge(inst, jar, loader);
      Thread current = Thread.currentThread();
      ClassLoader previous = current.getContextClassLoader();
      current.setContextClassLoader(loader);
      try {
        if (entry.equals("install")) {
          loader.loadClass(INSTALLER).getMethod(entry, Instrumentation.class, String.class).invoke(null, inst, agentArgs);
        } else {
          loader.loadClass(INSTALLER).getMethod(entry, Instrumentation.class, boolean.class)
              .invoke(null, inst, hostRecordsBedrock);
        }
      } finally {
        current.setContextClassLoader(previous);
      }
    } catch (Throwable t) {
      Throwable cause = t.getCause() != null ? t.getCause() : t;
      System.err.println("[llm-otel-agent] WARN not started: " + cause);
    }
  }

  /**
   * Defines the bridge's classes in the bootstrap loader ({@code BootstrapBridge}: no JVM warning on the application's
   * stderr, class-data sharing untouched); where that is refused, appends this jar to the bootstrap search path, which
   * serves them too.
   */
  private static void installBridge(Instrumentation inst, File jar, AgentClassLoader loader) throws Exception {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (String name : BRIDGE_CLASSES) {
      byte[] classFile = loader.rootClassFile(name);
      if (classFile != null) classes.put(name, classFile);
    }
    Object defined;
    try {
      defined = classes.size() < BRIDGE_CLASSES.length ? false
          : loader.loadClass(BRIDGE_DEFINER).getMethod("define", Instrumentation.class, Map.class)
              .invoke(null, inst, classes);
    } catch (Throwable refused) {
      defined = false;
    }
    if (!Boolean.TRUE.equals(defined)) inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
  }

  private static AgentClassLoader agentLoader(File jar) throws Exception {
    ClassLoader parent = ClassLoader.getSystemClassLoader().getParent(); // platform (9+) or extension (8) loader
    return new AgentClassLoader(new JarFile(jar, false), jar.toURI().toURL(), parent);
  }

  private static File agentJar() throws Exception {
    URL location = AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation();
    if ("file".equals(location.getProtocol())) return new File(location.toURI());
    // as an extension of the OpenTelemetry Java agent, this class comes through that agent's own URL scheme: the jar
    // is one of the extensions it was given
    String extensions = System.getProperty("otel.javaagent.extensions");
    if (extensions == null) extensions = System.getenv("OTEL_JAVAAGENT_EXTENSIONS");
    if (extensions != null) {
      for (String entry : extensions.split(",")) {
        File file = new File(entry.trim());
        File[] candidates = file.isDirectory() ? file.listFiles() : new File[] {file};
        if (candidates == null) continue;
        for (File candidate : candidates) {
          if (isThisAgent(candidate)) return candidate;
        }
      }
    }
    throw new IllegalStateException("cannot find this agent's jar from " + location);
  }

  private static boolean isThisAgent(File file) {
    if (!file.isFile() || !file.getName().endsWith(".jar")) return false;
    try (JarFile jar = new JarFile(file, false)) {
      return jar.getEntry(AgentLauncher.class.getName().replace('.', '/') + ".class") != null
          && jar.getEntry(AgentClassLoader.PREFIX) != null;
    } catch (Exception e) {
      return false;
    }
  }

}
