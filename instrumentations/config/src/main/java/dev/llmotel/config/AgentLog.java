package dev.llmotel.config;

/**
 * The agent's few log lines, to stderr with a fixed prefix: startup problems and one-time warnings. Deliberately not
 * java.util.logging, whose configuration belongs to the application. Debug lines only with
 * {@code otel.javaagent.debug=true} / {@code OTEL_JAVAAGENT_DEBUG=true}.
 */
public final class AgentLog {
  private static final boolean DEBUG = "true".equalsIgnoreCase(System.getProperty("otel.javaagent.debug",
      System.getenv("OTEL_JAVAAGENT_DEBUG") == null ? "false" : System.getenv("OTEL_JAVAAGENT_DEBUG")));

  private AgentLog() {}

  public static void warn(String message) {
    System.err.println("[llm-otel-agent] WARN " + message);
  }

  public static void info(String message) {
    System.err.println("[llm-otel-agent] " + message);
  }

  public static boolean debugEnabled() {
    return DEBUG;
  }

  public static void debug(String message) {
    if (DEBUG) System.err.println("[llm-otel-agent] DEBUG " + message);
  }
}
