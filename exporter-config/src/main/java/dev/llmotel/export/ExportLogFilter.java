package dev.llmotel.export;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The OpenTelemetry exporter logs a warning per failed batch. For a backend that refuses the agent's credentials
 * (401/403) the agent prints one clear warning of its own instead (see ViewingSpanExporter), so the exporter's
 * per-batch lines are dropped — only those the agent's own copy of the exporter logs (found on the call stack by its
 * class loader), so an application's own OpenTelemetry exporter logs exactly as before.
 */
final class ExportLogFilter implements Filter {
  /** The exporters' logger names (the OTLP exporter's internal package moved between SDK versions). */
  static final String[] EXPORTER_LOGGERS = {"io.opentelemetry.exporter.otlp.internal.HttpExporter",
      "io.opentelemetry.exporter.otlp.internal.GrpcExporter", "io.opentelemetry.exporter.internal.http.HttpExporter",
      "io.opentelemetry.exporter.internal.grpc.GrpcExporter"};
  /** JUL holds loggers weakly: keep ours, or the filter goes with a garbage-collected logger. */
  private static final java.util.List<Logger> INSTALLED_ON = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final Filter previous;
  private final ClassLoader agentLoader;

  private ExportLogFilter(Filter previous, ClassLoader agentLoader) {
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
    if (isAuthFailure(record.getMessage()) && loggedByAgent()) return false;
    return previous == null || previous.isLoggable(record);
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
