package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.SpanKind;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exit's flush waits at most its budget, whatever the backend does: against a backend that takes 2 s per
 * request, with spans and metrics waiting (the SDK's metric reader waits for its last export inside its own
 * shutdown), {@code shutdown(t)} returns after about {@code t}, and {@code shutdown(0)} at once.
 */
class ShutdownBudgetTest {
  /** How long the backend takes per request: longer than either budget by far. */
  static final long SLOW_MILLIS = 2_000;

  @ParameterizedTest
  @ValueSource(longs = {0, 300})
  void aSlowBackendNeverHoldsTheExitPastItsBudget(long budgetMillis) throws Exception {
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    }));
    slow.createContext("/", x -> {
      x.getRequestBody().readAllBytes();
      try {
        Thread.sleep(SLOW_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    slow.start();
    try {
      Map<String, String> env = new HashMap<>();
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + slow.getAddress().getPort());
      env.put("OTEL_BSP_SCHEDULE_DELAY", "60000");
      env.put("OTEL_METRIC_EXPORT_INTERVAL", "60000");
      TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env));
      pipeline.sdk().getTracer("test").spanBuilder("chat m").setSpanKind(SpanKind.CLIENT).startSpan().end();
      pipeline.sdk().getMeter("llm-otel-agent").counterBuilder("calls").build().add(1);
      long start = System.nanoTime();
      pipeline.shutdown(budgetMillis);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < budgetMillis + 700, millis + " ms for a budget of " + budgetMillis + " ms");
      awaitTheFlushBehind();
    } finally {
      slow.stop(0);
    }
  }

  /**
   * The SDK's shutdown goes on behind the budget: let it end while the backend still answers, so that no export of
   * this test fails (and logs) into a later test's capture once the backend is gone.
   */
  private static void awaitTheFlushBehind() throws InterruptedException {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("llm-otel-agent-flush")) t.join(5 * SLOW_MILLIS);
    }
  }
}
