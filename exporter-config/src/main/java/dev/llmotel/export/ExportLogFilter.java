package dev.llmotel.export;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The OpenTelemetry exporter logs a warning per failed batch. For a backend that refuses the agent's credentials
 * (401/403) the agent prints one clear warning of its own instead (see ViewingSpanExporter), so the exporter's
 * per-batch lines are dropped. Any other failure is logged once per cause (signal and HTTP status, or signal and
 * error message): a backend answering 500 to every batch costs one line, not one per batch, and the SDK's
 * "Too many log messages detected" notice (which says nothing about the cause) is dropped. All of this only for the
 * lines the agent's own copy of the exporter logs (found on the call stack by its class loader), so an application's
 * own OpenTelemetry exporter logs exactly as before.
 */
final class ExportLogFilter implements Filter {
  /** The exporters' logger names (the OTLP exporter's internal package moved between SDK versions). */
  static final String[] EXPORTER_LOGGERS = {"io.opentelemetry.exporter.otlp.internal.HttpExporter",
      "io.opentelemetry.exporter.otlp.internal.GrpcExporter", "io.opentelemetry.exporter.internal.http.HttpExporter",
      "io.opentelemetry.exporter.internal.grpc.GrpcExporter"};
  /** JUL holds loggers weakly: keep ours, or the filter goes with a garbage-collected logger. */
  private static final java.util.List<Logger> INSTALLED_ON = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Causes kept at most; past that, further new causes are dropped too (a backend cannot grow this set). */
  static final int MAX_CAUSES = 32;

  private final Filter previous;
  private final ClassLoader agentLoader;
  private final java.util.Set<String> loggedCauses = java.util.concurrent.ConcurrentHashMap.newKeySet();

  ExportLogFilter(Filter previous, ClassLoader agentLoader) {
    this.previous = previous;
    this.agentLoader = agentLoader;
  }

  static void install() {
    for (String name : EXPORTER_LOGGERS) {
      try {
        Logger logger = Logger.getLogger(name);
        if (logger.getFilter() instanceof ExportLogFilter) continue;
        logger.setFilter(new ExportLogFilter(logger.getFilter(), ExportLogFilter.class.getClassLoader()));
        INSTALLED_ON.add(logger);
      } catch (Throwable ignored) {
        // the exporter's own lines stay
      }
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    String message = record.getMessage();
    boolean exportNotice = isAuthFailure(message) || isThrottlingNotice(message) || cause(message) != null;
    if (exportNotice && loggedByAgent()) {
      Throwable root = rootCause(record.getThrown());
      if (!firstOfItsCause(message, root)) return false;
      if (root != null) {
        // one line: the cause's own message instead of a stack trace through the exporter's HTTP client
        record.setMessage(message + " Cause: " + root);
        record.setThrown(null);
      }
    }
    return previous == null || previous.isLoggable(record);
  }

  /** Whether this agent-logged export line is the first of its cause (auth failures and throttling notices never). */
  private boolean firstOfItsCause(String message, Throwable root) {
    if (isAuthFailure(message) || isThrottlingNotice(message)) return false;
    String cause = cause(message) + (root == null ? "" : " / " + root.getClass().getName());
    if (loggedCauses.contains(cause) || loggedCauses.size() >= MAX_CAUSES) return false;
    return loggedCauses.add(cause);
  }

  /**
   * The cause to name: the deepest one, except that a connection, host or timeout failure is named as such (the
   * JDK's HTTP client wraps a message-less ClosedChannelException in its ConnectException).
   */
  static Throwable rootCause(Throwable t) {
    Throwable root = t;
    for (int i = 0; root != null && i < 20; i++) {
      if (root instanceof java.net.ConnectException || root instanceof java.net.UnknownHostException
          || root instanceof java.net.SocketTimeoutException
          || root.getClass().getName().equals("java.net.http.HttpConnectTimeoutException")) {
        return root;
      }
      if (root.getCause() == null || root.getCause() == root) break;
      root = root.getCause();
    }
    return root;
  }

  static boolean isThrottlingNotice(String message) {
    return message != null && message.startsWith("Too many log messages detected");
  }

  /**
   * What an exporter's failure line is about, the same for every batch that fails the same way: the signal and HTTP
   * status ({@code spans/status 500}), or the signal and the error message with its numbers masked
   * ({@code spans/... Connection refused}); null for any other line.
   */
  static String cause(String message) {
    if (message == null || !message.startsWith("Failed to export ")) return null;
    String rest = message.substring("Failed to export ".length());
    int space = rest.indexOf(' ');
    if (space > 0 && rest.substring(0, space).chars().allMatch(Character::isDigit)) rest = rest.substring(space + 1);
    int end = 0;
    while (end < rest.length() && Character.isLetter(rest.charAt(end))) end++;
    String signal = rest.substring(0, end);
    int status = message.indexOf("status code ");
    if (status >= 0) {
      int from = status + "status code ".length();
      int to = from;
      while (to < message.length() && Character.isDigit(message.charAt(to))) to++;
      return signal + "/status " + message.substring(from, to);
    }
    int detail = rest.indexOf("message: ");
    String what = detail >= 0 ? rest.substring(detail + "message: ".length()) : rest.substring(end);
    if (what.length() > 200) what = what.substring(0, 200);
    return signal + "/" + what.replaceAll("[0-9]+", "#");
  }

  /** Whether an OpenTelemetry class of the agent's own class loader is on the stack (Java 9+: StackWalker). */
  private boolean loggedByAgent() {
    try {
      Class<?> walkerType = Class.forName("java.lang.StackWalker");
      @SuppressWarnings({"unchecked", "rawtypes"})
      Object retain = Enum.valueOf((Class) Class.forName("java.lang.StackWalker$Option"), "RETAIN_CLASS_REFERENCE");
      Object walker = walkerType.getMethod("getInstance", retain.getClass()).invoke(null, retain);
      java.lang.reflect.Method declaringClass = Class.forName("java.lang.StackWalker$StackFrame")
          .getMethod("getDeclaringClass");
      java.util.function.Function<java.util.stream.Stream<Object>, Boolean> search = frames -> frames.anyMatch(f -> {
        try {
          Class<?> c = (Class<?>) declaringClass.invoke(f);
          return c.getClassLoader() == agentLoader && c.getName().startsWith("io.opentelemetry.");
        } catch (Exception e) {
          return false;
        }
      });
      return (Boolean) walkerType.getMethod("walk", java.util.function.Function.class).invoke(walker, search);
    } catch (Throwable java8) {
      return Thread.currentThread().getContextClassLoader() == agentLoader;
    }
  }

  static boolean isAuthFailure(String message) {
    return message != null && (message.contains("status code 401") || message.contains("status code 403"));
  }
}
