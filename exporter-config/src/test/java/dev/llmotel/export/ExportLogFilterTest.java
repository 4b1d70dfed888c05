package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend that fails every batch costs one log line per cause, not one per batch: the real OTLP exporter (retries
 * off, so each batch fails at once) against a local server answering 500, 501 and a closed port, with the filter the
 * agent installs on the exporter's logger.
 */
class ExportLogFilterTest {
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final List<Logger> loggers = new ArrayList<>();
  private final List<Filter> previousFilters = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override public void publish(LogRecord record) { logged.add(record); }
    @Override public void flush() {}
    @Override public void close() {}
  };

  private final List<java.util.logging.Level> previousLevels = new ArrayList<>();

  @BeforeEach
  void installFreshFilter() {
    java.util.Set<String> retried = java.util.concurrent.ConcurrentHashMap.newKeySet();
    for (String name : ExportLogFilter.EXPORTER_LOGGERS) {
      Logger logger = Logger.getLogger(name);
      loggers.add(logger);
      previousFilters.add(logger.getFilter());
      previousLevels.add(logger.getLevel());
      logger.setFilter(new ExportLogFilter(null, ExportLogFilter.class.getClassLoader(), retried,
          java.util.logging.Level.ALL));
      logger.addHandler(capture);
    }
    for (String name : ExportLogFilter.RETRY_LOGGERS) {
      Logger logger = Logger.getLogger(name);
      loggers.add(0, logger); // the exporter's loggers stay last (otherLinesPassUnchanged uses the last)
      previousFilters.add(0, logger.getFilter());
      previousLevels.add(0, logger.getLevel());
      ExportLogFilter.installOnRetryLogger(logger, retried, ExportLogFilter.class.getClassLoader());
      logger.addHandler(capture);
    }
  }

  @AfterEach
  void restore() {
    for (int i = 0; i < loggers.size(); i++) {
      loggers.get(i).setFilter(previousFilters.get(i));
      loggers.get(i).setLevel(previousLevels.get(i));
      loggers.get(i).removeHandler(capture);
    }
  }

  @Test
  void causesOfExporterLines() {
    assertAll(
        () -> assertEquals("spans/status 500", ExportLogFilter.cause("Failed to export spans. Server responded with "
            + "HTTP status code 500. Error message: Response body has 0 length, HTTP status message: x")),
        () -> assertEquals("spans/status 500", ExportLogFilter.cause("Failed to export 50 spans. Server responded "
            + "with HTTP status code 500. Error message: request 1234 failed")),
        () -> assertEquals("metrics/status 501", ExportLogFilter.cause("Failed to export 3 metrics. Server responded "
            + "with HTTP status code 501. Error message: none")),
        () -> assertEquals("spans/Connection refused", ExportLogFilter.cause("Failed to export spans. The request "
            + "could not be executed. Full error message: Connection refused")),
        () -> assertEquals(ExportLogFilter.cause("Failed to export 20 spans. The request could not be executed. "
            + "Full error message: timeout after 10000 ms"), ExportLogFilter.cause("Failed to export 50 spans. The "
            + "request could not be executed. Full error message: timeout after 9999 ms")),
        () -> assertNull(ExportLogFilter.cause("Exporter busy")),
        () -> assertNull(ExportLogFilter.cause(null)));
  }

  @Test
  void everyBatchFailingTheSameWayLogsOneLine() throws Exception {
    BackendReceiver failing = new BackendReceiver(r -> 500);
    try {
      exportBatches(failing.url() + "/v1/traces", 12);
      assertEquals(12, failing.requests.size(), "every batch was sent");
    } finally {
      failing.close();
    }
    List<String> lines = messages();
    assertAll(lines.toString(),
        () -> assertEquals(1, lines.size()),
        () -> assertTrue(lines.get(0).contains("status code 500"), lines.get(0)));
  }

  @Test
  void eachCauseLogsOnce() throws Exception {
    BackendReceiver notImplemented = new BackendReceiver(r -> 501);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try {
      exportBatches(notImplemented.url() + "/v1/traces", 8);
      exportBatches("http://127.0.0.1:" + closedPort + "/v1/traces", 8);
      exportBatches(notImplemented.url() + "/v1/traces", 8);
    } finally {
      notImplemented.close();
    }
    List<String> lines = messages();
    assertAll(lines.toString(),
        () -> assertEquals(2, lines.size()),
        () -> assertTrue(lines.get(0).contains("status code 501"), lines.get(0)),
        () -> assertTrue(lines.get(1).contains("could not be executed")
            && lines.get(1).contains("Cause: java.net.ConnectException"), lines.get(1)),
        () -> assertNull(logged.get(1).getThrown(), "no stack trace"));
  }

  /**
   * Causes the exporter retries (429, a refused connection) are logged at their first failed attempt, not when the
   * retries give up (seconds later), and only once: the exporter's own line after the retries is dropped.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"jdk", "url-connection"})
  void retriedCausesAreLoggedAtTheFirstAttemptAndOnce(String sender) throws Exception {
    io.opentelemetry.common.ComponentLoader senders =
        new dev.llmotel.export.sender.AgentComponentLoader(getClass().getClassLoader(), sender);
    BackendReceiver throttling = new BackendReceiver(r -> 429);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    // a first backoff far longer than the check below: a line seen before it comes from the first attempt
    io.opentelemetry.sdk.common.export.RetryPolicy slow = io.opentelemetry.sdk.common.export.RetryPolicy.builder()
        .setMaxAttempts(2).setInitialBackoff(java.time.Duration.ofSeconds(2)).build();
    try {
      for (String endpoint : new String[] {throttling.url(), "http://127.0.0.1:" + closedPort}) {
        int before = messages().size();
        SpanExporter exporter = OtlpHttpSpanExporter.builder().setComponentLoader(senders)
            .setEndpoint(endpoint + "/v1/traces").setRetryPolicy(slow).build();
        List<CompletableResultCode> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) results.add(exporter.export(oneSpan()));
        while (messages().size() == before && System.nanoTime() - start < 1_500_000_000L) Thread.sleep(10);
        long firstLineMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(before + 1, messages().size(), endpoint + ": one line within 1.5 s: " + messages());
        for (CompletableResultCode r : results) r.join(20, TimeUnit.SECONDS);
        exporter.shutdown().join(10, TimeUnit.SECONDS);
        assertTrue(firstLineMillis < 1500, "first line after " + firstLineMillis + " ms");
        assertEquals(before + 1, messages().size(), endpoint + ": still one line after the retries: " + messages());
      }
      assertEquals(6, throttling.requests.size(), "three batches, two attempts each");
    } finally {
      throttling.close();
    }
    List<String> lines = messages();
    assertAll(lines.toString(),
        () -> assertEquals(2, lines.size()),
        () -> assertTrue(lines.get(0).contains("retries") && lines.get(0).contains("HTTP status code 429"),
            lines.get(0)),
        () -> assertTrue(lines.get(1).contains("retries") && lines.get(1).contains("java.net.ConnectException"),
            lines.get(1)),
        () -> assertEquals(java.util.logging.Level.WARNING, logged.get(0).getLevel()),
        () -> assertNull(logged.get(1).getThrown(), "no stack trace"));
  }

  @Test
  void retryLoggersKeepHidingWhatTheyHidBefore() {
    Logger logger = loggers.get(0);
    assertTrue(List.of(ExportLogFilter.RETRY_LOGGERS).contains(logger.getName()), logger.getName());
    logger.finer("Attempt 0 returned non-retryable response: Response{code=400,headers=[]}");
    logger.fine("something of the sender at FINE");
    logger.warning("a warning of the sender");
    assertEquals(List.of("a warning of the sender"), messages());
    assertEquals("status 503", ExportLogFilter.retryableAttempt(
        "Attempt 2 returned retryable response: Response{code=503,headers=[retry-after=1]}", null));
    assertEquals("error java.net.ConnectException: Failed to connect to /#.#.#.#:#", ExportLogFilter.retryableAttempt(
        "Attempt 0 failed with retryable exception",
        new java.io.IOException(new java.net.ConnectException("Failed to connect to /127.0.0.1:4318"))));
    assertNull(ExportLogFilter.retryableAttempt("Attempt 0 failed with non-retryable exception", new Exception()));
  }

  /** A level the user set stays theirs: above WARNING nothing is promoted; set after the agent, it alone decides. */
  @Test
  void retryLoggersRespectTheUsersLevel() {
    Logger silenced = Logger.getLogger("dev.llmotel.test.retry.silenced");
    Logger configuredLater = Logger.getLogger("dev.llmotel.test.retry.configured-later");
    try {
      silenced.setLevel(java.util.logging.Level.SEVERE);
      silenced.addHandler(capture);
      ExportLogFilter.installOnRetryLogger(silenced, java.util.concurrent.ConcurrentHashMap.newKeySet(),
          ExportLogFilter.class.getClassLoader());
      // logged from under an io.opentelemetry frame of this loader, as the agent's own sender would
      Runnable attempt = () -> silenced.finer("Attempt 0 returned retryable response: Response{code=429,headers=[]}");
      io.opentelemetry.context.Context.root().wrap(attempt).run();
      assertEquals(List.of(), messages(), "SEVERE set by the user: no promoted WARNING");
      Logger plain = Logger.getLogger("dev.llmotel.test.retry.plain");
      plain.addHandler(capture);
      try {
        ExportLogFilter.installOnRetryLogger(plain, java.util.concurrent.ConcurrentHashMap.newKeySet(),
            ExportLogFilter.class.getClassLoader());
        io.opentelemetry.context.Context.root().wrap(
            () -> plain.finer("Attempt 0 returned retryable response: Response{code=429,headers=[]}")).run();
        assertEquals(1, messages().size(), "the same record is promoted where nobody silenced the logger: "
            + messages());
        logged.clear();
      } finally {
        plain.removeHandler(capture);
        plain.setFilter(null);
        plain.setLevel(null);
      }

      configuredLater.addHandler(capture);
      ExportLogFilter.installOnRetryLogger(configuredLater, java.util.concurrent.ConcurrentHashMap.newKeySet(),
          ExportLogFilter.class.getClassLoader());
      configuredLater.fine("hidden while the agent's FINER is set");
      configuredLater.setLevel(java.util.logging.Level.FINE); // e.g. the app's logging framework, configured later
      configuredLater.fine("the app asked for FINE");
      assertEquals(List.of("the app asked for FINE"), messages());
    } finally {
      for (Logger l : new Logger[] {silenced, configuredLater}) {
        l.removeHandler(capture);
        l.setFilter(null);
        l.setLevel(null);
      }
    }
  }

  private static Collection<SpanData> oneSpan() {
    return endedSpans(1);
  }

  /** {@code n} ended one-span "chat m" client spans. */
  private static List<SpanData> endedSpans(int n) {
    List<SpanData> ended = new CopyOnWriteArrayList<>();
    SpanExporter collect = new SpanExporter() {
      @Override public CompletableResultCode export(Collection<SpanData> spans) {
        ended.addAll(spans);
        return CompletableResultCode.ofSuccess();
      }
      @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
      @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
    };
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(collect)).build()) {
      for (int i = 0; i < n; i++) {
        provider.get("llm-otel-agent").spanBuilder("chat m").setSpanKind(SpanKind.CLIENT).startSpan().end();
      }
    }
    return ended;
  }

  /** 401 on the plain OTLP endpoint: the exporter's lines dropped, the agent's one warning with the hint instead. */
  @Test
  void refusedCredentialsOnThePlainEndpointWarnOnce() throws Exception {
    BackendReceiver unauthorized = new BackendReceiver(r -> 401);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream previousErr = System.err;
    System.setErr(new PrintStream(err, true, "UTF-8"));
    try {
      SpanExporter plain = OtlpHttpSpanExporter.builder().setEndpoint(unauthorized.url() + "/v1/traces")
          .setRetryPolicy(null).build();
      SpanExporter wrapped = TelemetryPipeline.warnOnRefusal(plain,
          io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties.createFromMap(
              Collections.singletonMap("otel.exporter.otlp.endpoint", unauthorized.url())));
      exportBatches(wrapped, 6);
    } finally {
      System.setErr(previousErr);
      unauthorized.close();
    }
    List<String> warnings = err.toString("UTF-8").lines().filter(l -> !l.isBlank()).toList();
    assertAll(warnings + " / " + messages(),
        () -> assertEquals(List.of(), messages(), "the exporter's per-batch 401 lines"),
        () -> assertEquals(1, warnings.size()),
        () -> assertTrue(warnings.get(0).contains("otlp") && warnings.get(0).contains("401")
            && warnings.get(0).contains("OTEL_EXPORTER_OTLP_HEADERS")
            && warnings.get(0).contains(unauthorized.url() + "/v1/traces"), warnings.get(0)));
  }

  @Test
  void otherLinesPassUnchanged() {
    Logger logger = loggers.get(loggers.size() - 1);
    logger.warning("Something else entirely");
    logger.warning("Something else entirely");
    assertEquals(List.of("Something else entirely", "Something else entirely"), messages());
  }

  private List<String> messages() {
    List<String> out = new ArrayList<>();
    for (LogRecord r : logged) out.add(r.getMessage());
    return out;
  }

  private static void exportBatches(String endpoint, int batches) {
    exportBatches(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).setRetryPolicy(null).build(), batches);
  }

  /** Exports {@code batches} one-span batches, one after the other, each to its end. */
  private static void exportBatches(SpanExporter exporter, int batches) {
    for (SpanData span : endedSpans(batches)) {
      exporter.export(Collections.singletonList(span)).join(10, TimeUnit.SECONDS);
    }
    exporter.shutdown().join(10, TimeUnit.SECONDS);
  }
}
