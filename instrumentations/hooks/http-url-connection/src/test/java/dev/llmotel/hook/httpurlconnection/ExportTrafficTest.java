package dev.llmotel.hook.httpurlconnection;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.config.ExportThreads;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's own export on Java 8 (HttpURLConnection on its export threads) never begins an exchange. */
class ExportTrafficTest {
  private RecordingExchangeFactory exchanges;

  @BeforeEach
  void install() {
    exchanges = new RecordingExchangeFactory().install();
  }

  @AfterEach
  void uninstall() {
    RecordingExchangeFactory.uninstall();
  }

  private static boolean observedAfterBegin() {
    try {
      HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:9/v1/chat/completions").openConnection();
      ObservedConnection observed = new ObservedConnection();
      observed.beginOnce(c, Map.of("Content-Type", List.of("application/json")));
      return observed.observed();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anApplicationThreadsConnectionIsObserved() {
    assertTrue(observedAfterBegin());
    assertEquals(1, exchanges.offered().size());
  }

  @Test
  void anExportThreadsConnectionIsLeftAlone() throws Exception {
    ExecutorService export = Executors.newSingleThreadExecutor(ExportThreads.factory());
    try {
      assertFalse(CompletableFuture.supplyAsync(ExportTrafficTest::observedAfterBegin, export).get(10, TimeUnit.SECONDS));
      assertTrue(exchanges.offered().isEmpty(), "not even offered to the dialects");
    } finally {
      export.shutdownNow();
    }
  }
}
