package dev.llmotel.agent.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry point, loaded by the system class loader. It appends this jar to the bootstrap search
 * path (which exposes only the launcher and the tiny {@code dev.llmotel.bootstrap} bridge: everything else is stored
 * under {@code inst/} as {@code .classdata}, invisible to every application loader), then starts the agent inside an
 * {@link AgentClassLoader}. Whatever goes wrong, the application starts.
 */
public final class AgentLauncher {
  private static final String INSTALLER = "dev.llmotel.agent.installer.AgentInstaller";

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

  private static synchronized void start(String agentArgs, Instrumentation inst) {
    if (System.getProperty("llm-otel-agent.started") != null) return;
    System.setProperty("llm-otel-agent.started", "true");
    try {
      File jar = agentJar();
      inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
      ClassLoader loader = agentLoader(jar);
      Thread current = Thread.currentThread();
      ClassLoader previous = current.getContextClassLoader();
      current.setContextClassLoader(loader);
      try {
        loader.loadClass(INSTALLER).getMethod("install", Instrumentation.class, String.class)
            .invoke(null, inst, agentArgs);
      } finally {
        current.setContextClassLoader(previous);
      }
    } catch (Throwable t) {
      Throwable cause = t.getCause() != null ? t.getCause() : t;
      System.err.println("[llm-otel-agent] WARN not started: " + cause);
    }
  }

  private static ClassLoader agentLoader(File jar) throws Exception {
    ClassLoader parent = ClassLoader.getSystemClassLoader().getParent(); // platform (9+) or extension (8) loader
    return new AgentClassLoader(new JarFile(jar, false), jar.toURI().toURL(), parent);
  }

  private static File agentJar() throws Exception {
    URL location = AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation();
    return new File(location.toURI());
  }
}
