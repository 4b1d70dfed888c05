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

  @BeforeEach
  void installFreshFilter() {
    for (String name : ExportLogFilter.EXPORTER_LOGGERS) {
      Logger logger = Logger.getLogger(name);
      loggers.add(logger);
      previousFilters.add(logger.getFilter());
      logger.setFilter(new ExportLogFilter(null, ExportLogFilter.class.getClassLoader()));
      logger.addHandler(capture);
    }
  }

  @AfterEach
  void restore() {
    for (int i = 0; i < loggers.size(); i++) {
      loggers.get(i).setFilter(previousFilters.get(i));
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
      for (int i = 0; i < batches; i++) {
        provider.get("llm-otel-agent").spanBuilder("chat m").setSpanKind(SpanKind.CLIENT).startSpan().end();
      }
    }
    for (SpanData span : ended) {
      exporter.export(Collections.singletonList(span)).join(10, TimeUnit.SECONDS);
    }
    exporter.shutdown().join(10, TimeUnit.SECONDS);
  }
}
