package dev.llmotel.export;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * While the agent's SDK is built, drops the autoconfigure module's own notice of a failed build ("Error encountered
 * during autoconfiguration. Closing partially configured components.", two lines on the default console handler):
 * the agent logs one line of its own naming the cause, and it alone should reach the application's stderr. Only the
 * records logged on the building thread are dropped, so an application's own autoconfigure logs as before.
 */
final class AutoconfigureFailureLine implements Filter {
  static final String LOGGER = "io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder";

  private final Logger logger;
  private final Filter previous;
  private final Thread building;

  private AutoconfigureFailureLine(Logger logger, Filter previous, Thread building) {
    this.logger = logger;
    this.previous = previous;
    this.building = building;
  }

  /** Installed until {@link #remove()}; null where the logger cannot be filtered. */
  static AutoconfigureFailureLine install() {
    try {
      Logger logger = Logger.getLogger(LOGGER);
      AutoconfigureFailureLine filter = new AutoconfigureFailureLine(logger, logger.getFilter(), Thread.currentThread());
      logger.setFilter(filter);
      return filter;
    } catch (Throwable t) {
      return null;
    }
  }

  /** Puts the logger's filter back, unless something else has replaced this one meanwhile. */
  void remove() {
    try {
      if (logger.getFilter() == this) logger.setFilter(previous);
    } catch (Throwable ignored) {
      // the filter stays; it passes every other thread's records
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (Thread.currentThread() == building) {
      String message = record.getMessage();
      if (message != null && (message.startsWith("Error encountered during autoconfiguration")
          || message.startsWith("Closing "))) {
        return false;
      }
    }
    return previous == null || previous.isLoggable(record);
  }
}
