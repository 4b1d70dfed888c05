package dev.llmotel.export;

import dev.llmotel.config.AgentLog;
import dev.llmotel.config.ExportThreads;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.metrics.LowAllocationMetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.LowAllocationTraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Prepares the export path before it is first needed, so that the last export at exit (for a short-lived application,
 * usually the first and only one) is a warm one: on one of the agent's export threads (whose HTTP traffic the JDK
 * clients' hooks never trace), it loads the JDK's {@code HttpURLConnection} (so the http-url-connection hook weaves it
 * here, not at exit) without connecting anywhere, and runs the OTLP marshalers the exporters use on one throw-away span
 * and two throw-away metrics of a private, unexported SDK, writing the bytes nowhere. Nothing is sent, nothing is
 * recorded in the agent's own SDK. Failures are one debug line: the export then simply starts cold, as before.
 */
public final class ExportWarmUp {
  private static final OutputStream NOWHERE = new OutputStream() {
    @Override public void write(int b) {}
    @Override public void write(byte[] b, int off, int len) {}
  };

  private ExportWarmUp() {}

  /**
   * Starts an export thread that warms the export path once {@code callBegun} is counted down (at once if it is
   * already), and returns at once; without a call within {@code maxWaitMillis} it ends without doing anything (an
   * application that runs that long has its periodic exports warm the path anyway).
   */
  public static void start(CountDownLatch callBegun, long maxWaitMillis) {
    try {
      ExportThreads.factory().newThread(() -> {
        try {
          if (!callBegun.await(maxWaitMillis, TimeUnit.MILLISECONDS)) return;
        } catch (InterruptedException e) {
          return;
        }
        run();
      }).start();
    } catch (Throwable t) {
      AgentLog.debug("export warm-up not started: " + t);
    }
  }

  /** The warm-up itself, on the calling thread (tests call it directly). */
  static void run() {
    long t0 = System.nanoTime();
    try {
      // the JDK's client first: the hook's weaving of its class is the larger part of a cold first export
      HttpURLConnection c = (HttpURLConnection) new URL("http", "127.0.0.1", 4318, "/v1/traces")
          .openConnection(Proxy.NO_PROXY); // no connect(): opening a URLConnection does no I/O
      c.setRequestMethod("POST");
      long t1 = System.nanoTime();
      int spanBytes = marshalSpan();
      int metricBytes = marshalMetrics();
      AgentLog.debug("export path warmed in " + (System.nanoTime() - t0) / 1_000_000 + " ms (HTTP client "
          + (t1 - t0) / 1_000_000 + " ms, marshalers " + (System.nanoTime() - t1) / 1_000_000 + " ms; "
          + spanBytes + " + " + metricBytes + " bytes written nowhere)");
    } catch (Throwable t) {
      AgentLog.debug("export warm-up incomplete (the first export starts cold): " + t);
    }
  }

  static int marshalSpan() throws Exception {
    List<SpanData> spans = new ArrayList<>(1);
    SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
      @Override public void onStart(Context parent, ReadWriteSpan span) {}
      @Override public boolean isStartRequired() { return false; }
      @Override public void onEnd(ReadableSpan span) { spans.add(span.toSpanData()); }
      @Override public boolean isEndRequired() { return true; }
    }).build();
    try {
      tracing.get("llm-otel-agent-warm-up").spanBuilder("chat warm-up")
          .setAttribute("gen_ai.operation.name", "chat")
          .setAttribute("gen_ai.usage.input_tokens", 1L)
          .startSpan().end();
    } finally {
      tracing.shutdown();
    }
    LowAllocationTraceRequestMarshaler m = new LowAllocationTraceRequestMarshaler();
    try {
      m.initialize(spans);
      m.writeBinaryTo(NOWHERE);
      return m.getBinarySerializedSize();
    } finally {
      m.reset();
    }
  }

  static int marshalMetrics() throws Exception {
    Collector collector = new Collector();
    SdkMeterProvider metering = SdkMeterProvider.builder().registerMetricReader(collector).build();
    try {
      Meter meter = metering.get("llm-otel-agent-warm-up");
      Attributes a = Attributes.of(AttributeKey.stringKey("gen_ai.operation.name"), "chat");
      meter.counterBuilder("warm-up.count").build().add(1, a);
      meter.histogramBuilder("warm-up.duration").build().record(0.5, a);
      meter.histogramBuilder("warm-up.tokens").ofLongs().build().record(1, a);
      Collection<MetricData> metrics = collector.registration.collectAllMetrics();
      LowAllocationMetricsRequestMarshaler m = new LowAllocationMetricsRequestMarshaler();
      try {
        m.initialize(metrics);
        m.writeBinaryTo(NOWHERE);
        return m.getBinarySerializedSize();
      } finally {
        m.reset();
      }
    } finally {
      metering.shutdown();
    }
  }

  /** A reader that only lets the warm-up collect once. */
  private static final class Collector implements MetricReader {
    volatile CollectionRegistration registration;

    @Override public void register(CollectionRegistration registration) { this.registration = registration; }
    @Override public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }
    @Override public CompletableResultCode forceFlush() { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
  }
}
