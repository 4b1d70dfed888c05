package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.LogicalCall;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Attempts begun inside a library's retry loop: one logical span above them when there were several. */
class LogicalCallTelemetryTest {
  private static final AttributeKey<Long> RETRY_COUNT = AttributeKey.longKey("llmotel.retry.count");
  private static final AttributeKey<Long> RESEND = AttributeKey.longKey("http.request.resend_count");
  private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  private static final AttributeKey<Boolean> ON_CHILD = AttributeKey.booleanKey("llmotel.usage.on_child_span");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private TracedExchanges factory;
  private SdkTracerProvider tracing;

  @BeforeEach
  void setUp() {
    tracing = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(metrics).build();
    InferenceTelemetry telemetry = new InferenceTelemetry(InferenceSpans.builder(tracing.get("test")).build(),
        new InferenceMetrics(meters.get("test")), null);
    factory = TracedExchanges.builder(Collections.singletonList(new ScriptedDialect()), Pending.of(telemetry))
        .queues(ExchangeQueues.inline()).build();
  }

  @AfterEach
  void noScopeLeftOpen() {
    assertNull(LogicalCall.current());
  }

  private Exchange begin() {
    return factory.begin(new ExchangeRequest("POST", "https", "api.example.com", -1, "/llm/chat", null,
        HeaderLookup.NONE));
  }

  private static HeaderLookup json() {
    return name -> name.equalsIgnoreCase("content-type") ? "application/json" : null;
  }

  private static void status(Exchange ex, int status) {
    ex.requestBodyEnd();
    ex.response(status, json());
  }

  private static void body(Exchange ex, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.responseBody(b, 0, b.length);
    ex.responseBodyEnd();
  }

  private static String spanIdOf(Exchange ex) {
    return ex.propagationHeaders().get("traceparent").split("-")[2];
  }

  private SpanData span(String spanId) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getSpanId().equals(spanId)).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + spanId + " in " + exporter.getFinishedSpanItems()));
  }

  private long durationCount() {
    return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals("gen_ai.client.operation.duration"))
        .map(MetricData::getHistogramData).flatMap(h -> h.getPoints().stream())
        .mapToLong(HistogramPointData::getCount).sum();
  }

  @Test
  void oneAttemptIsRecordedAsIfThereWereNoLogicalCall() {
    LogicalCall call = LogicalCall.enter();
    Exchange ex = begin();
    status(ex, 200);
    call.exit(null);
    assertTrue(exporter.getFinishedSpanItems().isEmpty(), "the attempt is still being read");
    body(ex, "xx");

    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(1, spans.size());
    SpanData only = spans.get(0);
    assertEquals(spanIdOf(ex), only.getSpanId(), "the traceparent sent names the recorded span");
    assertFalse(only.getParentSpanContext().isValid(), "no parent: the application had no span");
    assertNull(only.getAttributes().get(RETRY_COUNT));
    assertNull(only.getAttributes().get(RESEND));
    assertEquals(2L, only.getAttributes().get(OUTPUT_TOKENS));
    assertEquals(1, durationCount());
  }

  @Test
  void retriedAttemptsAreChildrenOfOneLogicalSpanThatCountsTheDurationOnce() throws Exception {
    LogicalCall call = LogicalCall.enter();
    Exchange first = begin();
    status(first, 429);
    body(first, "");
    Exchange second = begin();
    status(second, 500);
    body(second, "");
    assertTrue(exporter.getFinishedSpanItems().isEmpty(), "attempts wait for the logical call to settle");
    Thread.sleep(5);
    Exchange third = begin();
    status(third, 200);
    call.exit(null);
    body(third, "xxx");

    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(4, spans.size(), spans.toString());
    SpanData a1 = span(spanIdOf(first));
    SpanData a2 = span(spanIdOf(second));
    SpanData a3 = span(spanIdOf(third));
    SpanData logical = spans.stream().filter(s -> s != a1 && s != a2 && s != a3).findFirst().get();
    assertFalse(logical.getParentSpanContext().isValid());
    for (SpanData attempt : new SpanData[] {a1, a2, a3}) {
      assertEquals(logical.getSpanId(), attempt.getParentSpanId());
      assertEquals(logical.getTraceId(), attempt.getTraceId());
    }
    assertNull(a1.getAttributes().get(RESEND));
    assertEquals(1L, a2.getAttributes().get(RESEND));
    assertEquals(2L, a3.getAttributes().get(RESEND));
    assertEquals("429", a1.getAttributes().get(ERROR_TYPE));
    assertEquals(3L, a3.getAttributes().get(OUTPUT_TOKENS));

    assertEquals(a3.getName(), logical.getName(), "named as the call the application made");
    assertEquals(2L, logical.getAttributes().get(RETRY_COUNT));
    assertEquals(Boolean.TRUE, logical.getAttributes().get(ON_CHILD));
    assertNull(logical.getAttributes().get(OUTPUT_TOKENS), "usage is counted once, on the attempt that got it");
    assertNull(logical.getAttributes().get(ERROR_TYPE), "the call succeeded in the end");
    assertEquals(StatusCode.UNSET, logical.getStatus().getStatusCode());
    assertTrue(logical.getStartEpochNanos() <= a1.getStartEpochNanos());
    assertTrue(logical.getEndEpochNanos() >= a3.getEndEpochNanos());
    assertEquals(1, durationCount(), "one duration: the logical call's");
  }

  @Test
  void aCallThatFailsAfterItsRetriesIsAnErrorWithTheLastAttemptsError() {
    LogicalCall call = LogicalCall.enter();
    Exchange first = begin();
    status(first, 503);
    body(first, "");
    Exchange second = begin();
    second.failed(new java.net.ConnectException("refused"));
    call.exit(new IllegalStateException("gave up"));

    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(3, spans.size(), spans.toString());
    SpanData logical = spans.stream().filter(s -> s.getAttributes().get(RETRY_COUNT) != null).findFirst().get();
    assertEquals(1L, logical.getAttributes().get(RETRY_COUNT));
    assertEquals(StatusCode.ERROR, logical.getStatus().getStatusCode());
    assertEquals(span(spanIdOf(second)).getAttributes().get(ERROR_TYPE), logical.getAttributes().get(ERROR_TYPE));
  }

  /**
   * The last attempt answered 200, then the SDK failed to read it: the logical span's {@code error.type} is the
   * exception the application got, and so is its duration metric's.
   */
  @Test
  void theDurationMetricHasTheLogicalSpansErrorType() {
    LogicalCall call = LogicalCall.enter();
    Exchange first = begin();
    status(first, 503);
    body(first, "");
    Exchange second = begin();
    status(second, 200);
    body(second, "xx");
    call.exit(new IllegalStateException("the SDK could not read the answer"));

    SpanData logical = exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getAttributes().get(RETRY_COUNT) != null).findFirst().get();
    assertEquals("java.lang.IllegalStateException", logical.getAttributes().get(ERROR_TYPE));
    List<String> durationErrorTypes = new java.util.ArrayList<>();
    metrics.collectAllMetrics().stream().filter(m -> m.getName().equals("gen_ai.client.operation.duration"))
        .map(MetricData::getHistogramData).flatMap(h -> h.getPoints().stream())
        .forEach(p -> durationErrorTypes.add(p.getAttributes().get(ERROR_TYPE)));
    assertEquals(java.util.Collections.singletonList("java.lang.IllegalStateException"), durationErrorTypes);
  }

  @Test
  void aLoopWithoutAnyLlmExchangeRecordsNothingAndExchangesAfterItAreTheirOwn() {
    LogicalCall.enter().exit(null);
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
    Exchange ex = begin();
    status(ex, 200);
    body(ex, "x");
    assertEquals(1, exporter.getFinishedSpanItems().size());
    assertEquals(spanIdOf(ex), exporter.getFinishedSpanItems().get(0).getSpanId());
  }

  @Test
  void attemptsPastTheCapAreTracedOnTheirOwn() {
    LogicalCall call = LogicalCall.enter();
    for (int i = 0; i < LogicalCallTelemetry.MAX_ATTEMPTS + 2; i++) {
      Exchange ex = begin();
      status(ex, 500);
      body(ex, "");
    }
    assertEquals(2, exporter.getFinishedSpanItems().size(), "the two past the cap, at once");
    call.exit(null);
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(LogicalCallTelemetry.MAX_ATTEMPTS + 2 + 1, spans.size());
    assertEquals(1, spans.stream().filter(s -> s.getAttributes().get(RETRY_COUNT) != null)
        .collect(Collectors.toList()).size());
  }

  @Test
  void theLogicalSpanMadeWithTheSecondAttemptKeepsTheFirstAttemptsTraceParentAndStart() {
    Span app = tracing.get("app").spanBuilder("app").startSpan();
    Exchange first;
    Exchange second;
    try (Scope ignored = app.makeCurrent()) {
      LogicalCall call = LogicalCall.enter();
      first = begin();
      status(first, 429);
      body(first, "");
      second = begin();
      status(second, 200);
      call.exit(null);
      body(second, "xx");
    }
    app.end();
    String[] sent = first.propagationHeaders().get("traceparent").split("-");
    assertEquals(app.getSpanContext().getTraceId(), sent[1], "the first attempt went out in the application's trace");
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(4, spans.size(), spans.toString());
    SpanData logical = spans.stream().filter(s -> s.getAttributes().get(RETRY_COUNT) != null).findFirst().get();
    SpanData a1 = span(sent[2]);
    SpanData a2 = span(spanIdOf(second));
    assertEquals(app.getSpanContext().getSpanId(), logical.getParentSpanId());
    assertEquals(app.getSpanContext().getTraceId(), logical.getTraceId());
    assertNotEquals(a1.getSpanId(), logical.getSpanId());
    assertEquals(logical.getSpanId(), a1.getParentSpanId(), "the first attempt is re-parented under the logical span");
    assertEquals(logical.getSpanId(), a2.getParentSpanId());
    assertEquals(logical.getTraceId(), a2.getTraceId());
    assertEquals(a1.getStartEpochNanos(), logical.getStartEpochNanos());
    assertEquals(1L, logical.getAttributes().get(RETRY_COUNT));
  }
}
