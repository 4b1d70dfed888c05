package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A bad {@code OTEL_*} value fails the SDK's build with an exception the agent logs as its one line; the autoconfigure
 * module's own two-line notice of it does not reach the application's log, while the same logger's records from any
 * other thread (an application's own autoconfigure) still do.
 */
class AutoconfigureFailureLineTest {
  @Test
  void aBadValueFailsTheBuildWithoutTheModulesOwnNotice() throws Exception {
    Logger logger = Logger.getLogger(AutoconfigureFailureLine.LOGGER);
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override public void publish(LogRecord record) { logged.add(record.getMessage()); }
      @Override public void flush() {}
      @Override public void close() {}
    };
    logger.addHandler(capture);
    java.util.logging.Filter before = logger.getFilter();
    try {
      Exception e = assertThrows(RuntimeException.class, () -> TelemetryPipeline.start("test",
          new EnvironmentSource(Map.of("OTEL_TRACES_SAMPLER", "bogus", "OTEL_METRICS_EXPORTER", "none"), Map.of())));
      assertTrue(e.getMessage().contains("bogus"), e.getMessage());
      assertTrue(logged.stream().noneMatch(m -> m.startsWith("Error encountered")), logged.toString());
      assertSame(before, logger.getFilter(), "the logger's filter is put back");

      // another thread's record of the same logger, while a build's filter is in place, passes
      AutoconfigureFailureLine quiet = AutoconfigureFailureLine.install();
      Thread other = new Thread(() -> logger.log(Level.INFO, "Error encountered during autoconfiguration. x"));
      other.start();
      other.join();
      logger.log(Level.INFO, "Error encountered during autoconfiguration. y");
      quiet.remove();
      assertEquals(List.of("Error encountered during autoconfiguration. x"), logged);
    } finally {
      logger.removeHandler(capture);
      logger.setFilter(before);
    }
  }
}
