package dev.llmotel.export;

import java.util.logging.Filter;
import java.util.logging.Level;
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
 *
 * <p>Causes the exporter retries (a refused or reset connection, a timeout, 429/502/503/504) reach the exporter's
 * logger only when the retries give up, about 8 s after the first failure with the SDK's default policy (5 attempts,
 * backoff 1 s × 1.5 up to 5 s), which a short run never reaches. So the filter also sits on the senders' retry loggers
 * ({@link #RETRY_LOGGERS}, which log each attempt at FINER; their level is lowered to FINER for that) and turns the
 * first retryable failure of each cause into the one WARNING line, at once; the line the exporter logs for that cause
 * after the retries is then dropped, as are the other attempts' records (and any record below the level those loggers
 * had before, so nothing else reaches a handler that did not before).
 */
final class ExportLogFilter implements Filter {
  /** The exporters' logger names (the OTLP exporter's internal package moved between SDK versions). */
  static final String[] EXPORTER_LOGGERS = {"io.opentelemetry.exporter.otlp.internal.HttpExporter",
      "io.opentelemetry.exporter.otlp.internal.GrpcExporter", "io.opentelemetry.exporter.internal.http.HttpExporter",
      "io.opentelemetry.exporter.internal.grpc.GrpcExporter"};
  /** The loggers of the senders' retry loops (OkHttp's interceptor, the JDK HttpClient sender, the agent's own). */
  static final String[] RETRY_LOGGERS = {"io.opentelemetry.exporter.sender.okhttp.internal.RetryInterceptor",
      "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSender",
      "dev.llmotel.export.sender.UrlConnectionHttpSender"};
  /** The agent's own sender (it sends on its own threads, where no OpenTelemetry frame is on the stack). */
  private static final String OWN_SENDER_PACKAGE = "dev.llmotel.export.sender.";
  /** JUL holds loggers weakly: keep ours, or the filter goes with a garbage-collected logger. */
  private static final java.util.List<Logger> INSTALLED_ON = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Causes kept at most; past that, further new causes are dropped too (a backend cannot grow this set). */
  static final int MAX_CAUSES = 32;

  private final Filter previous;
  private final ClassLoader agentLoader;
  private final java.util.Set<String> loggedCauses = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Retried causes (without the signal) already logged: shared by the filters of all the loggers. */
  private final java.util.Set<String> retriedCauses;
  /** Records below this level are dropped (the logger's effective level before the agent lowered it). */
  private final Level hiddenBelow;
  /** The retry logger the agent lowered to FINER, or null: once its level is not FINER, the app has set it. */
  private volatile Logger lowered;

  ExportLogFilter(Filter previous, ClassLoader agentLoader) {
    this(previous, agentLoader, java.util.concurrent.ConcurrentHashMap.<String>newKeySet(), Level.ALL);
  }

  ExportLogFilter(Filter previous, ClassLoader agentLoader, java.util.Set<String> retriedCauses, Level hiddenBelow) {
    this.previous = previous;
    this.agentLoader = agentLoader;
    this.retriedCauses = retriedCauses;
    this.hiddenBelow = hiddenBelow;
  }

  static void install() {
    java.util.Set<String> retried = java.util.concurrent.ConcurrentHashMap.newKeySet();
    for (String name : EXPORTER_LOGGERS) {
      try {
        Logger logger = Logger.getLogger(name);
        if (logger.getFilter() instanceof ExportLogFilter) continue;
        logger.setFilter(new ExportLogFilter(logger.getFilter(), ExportLogFilter.class.getClassLoader(), retried,
            Level.ALL));
        INSTALLED_ON.add(logger);
      } catch (Throwable ignored) {
        // the exporter's own lines stay
      }
    }
    for (String name : RETRY_LOGGERS) {
      try {
        Logger logger = Logger.getLogger(name);
        if (logger.getFilter() instanceof ExportLogFilter) continue;
        installOnRetryLogger(logger, retried, ExportLogFilter.class.getClassLoader());
        INSTALLED_ON.add(logger);
      } catch (Throwable ignored) {
        // retried causes are logged when the retries give up, as before
      }
    }
  }

  /** Lowers a retry logger to FINER (if it was above) and filters it; returns the filter. */
  static ExportLogFilter installOnRetryLogger(Logger logger, java.util.Set<String> retried, ClassLoader agentLoader) {
    Level before = effectiveLevel(logger);
    ExportLogFilter filter = new ExportLogFilter(logger.getFilter(), agentLoader, retried, before);
    logger.setFilter(filter);
    if (before.intValue() > Level.FINER.intValue()) {
      logger.setLevel(Level.FINER);
      filter.lowered = logger;
    }
    return filter;
  }

  static Level effectiveLevel(Logger logger) {
    for (Logger l = logger; l != null; l = l.getParent()) {
      if (l.getLevel() != null) return l.getLevel();
    }
    return Level.INFO;
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    String message = record.getMessage();
    String retried = retryableAttempt(message, record.getThrown());
    Level hidden = hiddenBelow();
    if (retried != null && loggedByAgent()) {
      // the promoted line is a WARNING: not shown where the user set these loggers above that (SEVERE, OFF)
      if (Level.WARNING.intValue() < hidden.intValue()) return false;
      if (retriedCauses.size() >= MAX_CAUSES || !retriedCauses.add(retried)) return false;
      Throwable root = rootCause(record.getThrown());
      record.setLevel(Level.WARNING);
      record.setMessage("Failed to export (the exporter retries with backoff; this cause is logged once): "
          + (root != null ? root.toString() : "HTTP status code " + statusOfAttempt(message)));
      record.setThrown(null);
      return previous == null || previous.isLoggable(record);
    }
    if (record.getLevel().intValue() < hidden.intValue()) return false;
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

  /**
   * The level below which records are dropped: the level the logger had before the agent lowered it, as long as the
   * agent's FINER is still set; once the application has set the logger's level itself (e.g. a logging framework
   * configured after the agent started), that level alone decides, as without the agent.
   */
  private Level hiddenBelow() {
    Logger l = lowered;
    return l != null && l.getLevel() != Level.FINER ? Level.ALL : hiddenBelow;
  }

  /** Whether this agent-logged export line is the first of its cause (auth failures and throttling notices never). */
  private boolean firstOfItsCause(String message, Throwable root) {
    if (isAuthFailure(message) || isThrottlingNotice(message)) return false;
    int status = statusCode(message);
    String retried = status > 0 ? "status " + status : errorKey(root);
    if (retried != null && retriedCauses.contains(retried)) return false; // logged at its first attempt
    String cause = cause(message) + (root == null ? "" : " / " + root.getClass().getName());
    if (loggedCauses.contains(cause) || loggedCauses.size() >= MAX_CAUSES) return false;
    return loggedCauses.add(cause);
  }

  /**
   * The cause (without the signal) of a sender's record of a failed attempt that will be retried:
   * {@code status 429}, or {@code error <exception class>: <message, numbers masked>}; null for any other record.
   */
  static String retryableAttempt(String message, Throwable thrown) {
    if (message == null || !message.startsWith("Attempt ")) return null;
    if (message.contains(" returned retryable response")) {
      int status = statusOfAttempt(message);
      return status > 0 ? "status " + status : null;
    }
    if (message.contains(" failed with retryable exception") && thrown != null) return errorKey(rootCause(thrown));
    return null;
  }

  /** The status in a sender's attempt record ({@code Response{code=429,...}}), or -1. */
  static int statusOfAttempt(String message) {
    return number(message, "code=");
  }

  /** The status in an exporter's failure line ({@code ... HTTP status code 500 ...}), or -1. */
  static int statusCode(String message) {
    return number(message, "status code ");
  }

  private static int number(String message, String after) {
    int at = message == null ? -1 : message.indexOf(after);
    if (at < 0) return -1;
    int from = at + after.length();
    int to = from;
    while (to < message.length() && to - from < 4 && Character.isDigit(message.charAt(to))) to++;
    return to == from ? -1 : Integer.parseInt(message.substring(from, to));
  }

  static String errorKey(Throwable root) {
    if (root == null) return null;
    String text = root.getMessage() == null ? "" : root.getMessage();
    if (text.length() > 200) text = text.substring(0, 200);
    return "error " + root.getClass().getName() + ": " + text.replaceAll("[0-9]+", "#");
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
          return c.getClassLoader() == agentLoader
              && (c.getName().startsWith("io.opentelemetry.") || c.getName().startsWith(OWN_SENDER_PACKAGE));
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
