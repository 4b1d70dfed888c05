package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.trace.SpanKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's two OTLP/HTTP senders (java.net.http, the default on Java 11+; HttpURLConnection, Java 8's and selectable
 * with {@code OTEL_INSTRUMENTATION_LLM_EXPORT_SENDER=url-connection}) through the whole pipeline: headers, gzip,
 * retries, timeouts, and OTLP/gRPC settings falling back to http/protobuf.
 */
class ExportSendersTest {
  private BackendReceiver receiver;

  @AfterEach
  void tearDown() {
    if (receiver != null) receiver.close();
  }

  private Map<String, String> env(String sender) {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_INSTRUMENTATION_LLM_EXPORT_SENDER", sender);
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url());
    env.put("OTEL_BSP_SCHEDULE_DELAY", "20");
    env.put("OTEL_METRICS_EXPORTER", "none");
    return env;
  }

  private static boolean exportOneSpan(TelemetryPipeline pipeline) {
    pipeline.sdk().getTracer("test").spanBuilder("chat m").setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.request.model", "m").startSpan().end();
    return pipeline.sdk().getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess();
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url-connection"})
  void headersPathAndBody(String sender) throws Exception {
    receiver = new BackendReceiver(r -> 200);
    Map<String, String> env = env(sender);
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Basic%20abc,x-tenant=t1");
    TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env));
    assertTrue(exportOneSpan(pipeline));
    pipeline.shutdown(5000);
    assertEquals(1, receiver.at("/v1/traces").size(), sender);
    BackendReceiver.Received r = receiver.at("/v1/traces").get(0);
    assertEquals("POST", r.method);
    assertEquals("Basic abc", r.header("Authorization"));
    assertEquals("t1", r.header("x-tenant"));
    assertEquals("application/x-protobuf", r.header("Content-Type"));
    assertEquals("chat m", r.spans().get(0).getName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url-connection"})
  void gzip(String sender) throws Exception {
    receiver = new BackendReceiver(r -> 200);
    Map<String, String> env = env(sender);
    env.put("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
    TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env));
    assertTrue(exportOneSpan(pipeline));
    pipeline.shutdown(5000);
    BackendReceiver.Received r = receiver.at("/v1/traces").get(0);
    assertEquals("gzip", r.header("Content-Encoding"));
    byte[] plain;
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(r.body))) {
      plain = in.readAllBytes();
    }
    assertEquals("chat m", io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(plain)
        .getResourceSpans(0).getScopeSpans(0).getSpans(0).getName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url-connection"})
  void retriesA503ThenDelivers(String sender) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    receiver = new BackendReceiver(r -> calls.incrementAndGet() == 1 ? 503 : 200);
    TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env(sender)));
    assertTrue(exportOneSpan(pipeline), "delivered on the second attempt");
    pipeline.shutdown(5000);
    assertEquals(2, receiver.at("/v1/traces").size());
    assertEquals(503, receiver.at("/v1/traces").get(0).status);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url-connection"})
  void aNonRetryableStatusIsNotRetried(String sender) throws Exception {
    receiver = new BackendReceiver(r -> 400);
    TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env(sender)));
    exportOneSpan(pipeline);
    pipeline.shutdown(5000);
    assertEquals(1, receiver.at("/v1/traces").size());
  }

  /** A backend whose first answer takes 5 s: the 300 ms timeout ends that attempt. */
  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url-connection"})
  void theTimeoutEndsASlowAttempt(String sender) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    com.sun.net.httpserver.HttpServer slowFirst =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    slowFirst.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    slowFirst.createContext("/", x -> {
      boolean first = calls.incrementAndGet() == 1;
      x.getRequestBody().readAllBytes();
      if (first) {
        try {
          Thread.sleep(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    slowFirst.start();
    try {
      receiver = new BackendReceiver(r -> 200);
      Map<String, String> env = env(sender);
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + slowFirst.getAddress().getPort());
      env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "300");
      TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env));
      long start = System.nanoTime();
      exportOneSpan(pipeline);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      pipeline.shutdown(1000);
      // the export timeout covers the retries too (as in OpenTelemetry's java.net.http sender): none is left for one
      assertEquals(1, calls.get(), "the timed-out attempt, and no retry after the export timeout");
      assertTrue(millis < 4000, millis + " ms: the 300 ms timeout, not the backend's 5 s, ended the first attempt");
    } finally {
      slowFirst.stop(0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url-connection"})
  void grpcFallsBackToHttpProtobufWithOneWarning(String sender) throws Exception {
    receiver = new BackendReceiver(r -> 200);
    Map<String, String> env = env(sender);
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    TelemetryPipeline pipeline;
    try {
      pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env));
    } finally {
      System.setErr(original);
    }
    assertTrue(exportOneSpan(pipeline));
    pipeline.shutdown(5000);
    assertEquals(1, receiver.at("/v1/traces").size());
    String log = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, log.lines().filter(l -> l.contains("OTLP over gRPC is not supported")).count(), log);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url-connection"})
  void aDeadBackendCostsNoMoreThanItsRetries(String sender) throws IOException {
    receiver = new BackendReceiver(r -> 200);
    Map<String, String> env = env(sender);
    String url = receiver.url();
    receiver.close();
    receiver = null;
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", url);
    TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env));
    long start = System.nanoTime();
    exportOneSpan(pipeline);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    pipeline.shutdown(1000);
    assertTrue(millis < 12000, millis + " ms: 5 refused attempts and their back-off");
  }

  /**
   * A header value an HTTP client refuses (a line break: the SDK URL-decodes {@code %0A}) is left out with one warning
   * naming the header, the export goes on without it, and no log record, exception or stderr line quotes the value
   * (here an Authorization header's secret).
   */
  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url-connection"})
  void aHeaderValueTheClientRefusesIsNeverQuoted(String sender) throws Exception {
    receiver = new BackendReceiver(r -> 200);
    Map<String, String> env = env(sender);
    String name = "x-api-key-" + sender; // warned once per name in a JVM: one name per run
    env.put("OTEL_EXPORTER_OTLP_HEADERS", name + "=Bearer%20sk-sekrit%0Anext,x-tenant=t1");
    StringBuilder seen = new StringBuilder();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        synchronized (seen) {
          seen.append(record.getMessage()).append('\n');
          for (Throwable t = record.getThrown(); t != null && t.getCause() != t; t = t.getCause()) {
            seen.append(t).append('\n');
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.addHandler(capture);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    boolean delivered;
    try {
      TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env));
      delivered = exportOneSpan(pipeline);
      pipeline.shutdown(2000);
    } finally {
      System.setErr(original);
      root.removeHandler(capture);
    }
    String all;
    synchronized (seen) {
      all = seen + err.toString(StandardCharsets.UTF_8);
    }
    assertTrue(delivered, all);
    assertEquals(1, receiver.at("/v1/traces").size());
    assertNull(receiver.at("/v1/traces").get(0).header(name));
    assertEquals("t1", receiver.at("/v1/traces").get(0).header("x-tenant"), "the other headers are sent");
    assertEquals(1, all.lines().filter(l -> l.contains("OTLP export header " + name + " has a value")).count(), all);
    assertFalse(all.contains("sekrit"), all);
  }
}
