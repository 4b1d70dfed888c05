package dev.llmotel.export;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The OpenTelemetry exporter logs a warning per failed batch. For a backend that refuses the agent's credentials
 * (401/403) the agent prints one clear warning of its own instead (see ViewingSpanExporter), so the exporter's
 * per-batch lines are dropped — only those logged on the agent's own threads (whose context class loader is the
 * agent's), so an application's own OpenTelemetry exporter logs exactly as before.
 */
final class ExportLogFilter implements Filter {
  static final String EXPORTER_LOGGER = "io.opentelemetry.exporter.internal.http.HttpExporter";
  /** JUL holds loggers weakly: keep ours, or the filter goes with a garbage-collected logger. */
  private static volatile Logger installedOn;

  private final Filter previous;
  private final ClassLoader agentLoader;

  private ExportLogFilter(Filter previous, ClassLoader agentLoader) {
    this.previous = previous;
    this.agentLoader = agentLoader;
  }

  static void install() {
    try {
      Logger logger = Logger.getLogger(EXPORTER_LOGGER);
      if (logger.getFilter() instanceof ExportLogFilter) return;
      logger.setFilter(new ExportLogFilter(logger.getFilter(), ExportLogFilter.class.getClassLoader()));
      installedOn = logger;
    } catch (Throwable ignored) {
      // the exporter's own lines stay
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (Thread.currentThread().getContextClassLoader() == agentLoader && isAuthFailure(record.getMessage())) {
      return false;
    }
    return previous == null || previous.isLoggable(record);
  }

  static boolean isAuthFailure(String message) {
    return message != null && (message.contains("status code 401") || message.contains("status code 403"));
  }
}
