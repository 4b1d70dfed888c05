package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.ExchangeWorker;
import dev.llmotel.exchange.HeaderLookup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TracedExchangesTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private ScriptedDialect dialect;
  private TracedExchanges factory;

  @BeforeEach
  void setUp() {
    SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    dialect = new ScriptedDialect();
    factory = factory(InferenceSpans.builder(provider.get("test")).build(), ExchangeQueues.inline());
  }

  private TracedExchanges factory(InferenceSpans spans, ExchangeQueues queues) {
    return TracedExchanges.builder(Collections.singletonList(dialect),
        Pending.of(new InferenceTelemetry(spans, null, null))).queues(queues).build();
  }

  private static ExchangeRequest request(String path) {
    return new ExchangeRequest("POST", "https", "api.example.com", -1, path, null, HeaderLookup.NONE);
  }

  /** Begins an exchange while {@code parent} is what the application's context reports. */
  private Exchange beginUnder(ParentSpan parent) {
    ParentProbe probe = () -> parent;
    ParentProbes.register(probe);
    try {
      return factory.begin(request("/llm/chat"));
    } finally {
      ParentProbes.unregister(probe);
    }
  }

  private static HeaderLookup headers(String contentType) {
    return name -> name.equalsIgnoreCase("content-type") ? contentType : null;
  }

  private static void feed(Exchange ex, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.responseBody(b, 0, b.length);
  }

  @Test
  void requestsNoDialectKnowsAreIgnored() {
    assertNull(factory.begin(request("/health")));
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
  }

  @Test
  void completeExchangeEndsOneSpanWithFactsAndTraceparent() {
    Exchange ex = factory.begin(request("/llm/chat"));
    Map<String, String> headers = ex.propagationHeaders();
    byte[] model = "m-1".getBytes(StandardCharsets.UTF_8);
    ex.requestBody(model, 0, model.length);
    ex.requestBodyEnd();
    ex.response(200, headers("text/event-stream"));
    feed(ex, "x..x..x");
    assertTrue(exporter.getFinishedSpanItems().isEmpty(), "span must not end before the body ends");
    ex.responseBodyEnd();
    ex.responseBodyClosed(); // a close after the end changes nothing

    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(1, spans.size());
    SpanData span = spans.get(0);
    assertEquals("chat m-1", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals(3L, span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
    assertEquals("completed", span.getAttributes().get(AttributeKey.stringKey("llmotel.stream.outcome")));
    assertEquals("api.example.com", span.getAttributes().get(AttributeKey.stringKey("server.address")));
    assertEquals(443L, span.getAttributes().get(AttributeKey.longKey("server.port")));
    assertEquals(200L, span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertTrue(span.getAttributes().get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")) >= 0);
    assertEquals("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01", headers.get("traceparent"));
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
  }

  @Test
  void aStreamEndsAtItsEndMarkerEvenIfTheAppNeverReadsToEof() {
    Exchange ex = factory.begin(request("/llm/chat"));
    ex.response(200, headers("text/event-stream"));
    feed(ex, "xx$");
    assertEquals(1, exporter.getFinishedSpanItems().size());
    feed(ex, "xxxx");
    ex.responseBodyClosed();
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals(1, exporter.getFinishedSpanItems().size());
    assertEquals("completed", span.getAttributes().get(AttributeKey.stringKey("llmotel.stream.outcome")));
    assertEquals(2L, span.getAttributes().get(AttributeKey.longKey("llmotel.stream.chunks")));
  }

  @Test
  void aStreamTheAppLeavesIdleWithoutClosingIsEndedAsAbandoned() throws Exception {
    SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
    TracedExchanges reaping = factory(InferenceSpans.builder(provider.get("test")).build(),
        new ExchangeQueues(ExchangeWorker.inline(), 300, 0));
    Exchange busy = reaping.begin(request("/llm/chat"));
    Exchange idle = reaping.begin(request("/llm/chat"));
    busy.response(200, headers("text/event-stream"));
    idle.response(200, headers("text/event-stream"));
    feed(idle, "x");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (exporter.getFinishedSpanItems().isEmpty() && System.nanoTime() < deadline) {
      feed(busy, "x"); // keeps moving bytes: never idle
      Thread.sleep(20);
    }
    for (int i = 0; i < 8; i++) {
      feed(busy, "x");
      Thread.sleep(20);
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(1, spans.size(), "only the idle exchange is reaped");
    assertEquals("abandoned", spans.get(0).getAttributes().get(AttributeKey.stringKey("llmotel.stream.outcome")));
    assertEquals(1L, spans.get(0).getAttributes().get(AttributeKey.longKey("llmotel.stream.chunks")));
    busy.responseBodyEnd();
    assertEquals(2, exporter.getFinishedSpanItems().size());
  }

  @Test
  void earlyCloseIsAbandonedNotAnError() {
    Exchange ex = factory.begin(request("/llm/chat"));
    ex.requestBodyEnd();
    ex.response(200, headers("text/event-stream"));
    feed(ex, "x");
    ex.responseBodyClosed();
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals(Boolean.FALSE, dialect.endedComplete);
    assertEquals("abandoned", span.getAttributes().get(AttributeKey.stringKey("llmotel.stream.outcome")));
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
  }

  @Test
  void transportFailureSetsErrorTypeToExceptionClass() {
    Exchange ex = factory.begin(request("/llm/chat"));
    ex.failed(new java.net.SocketTimeoutException("read timed out"));
    ex.failed(new RuntimeException("second report is ignored"));
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals("java.net.SocketTimeoutException", span.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(1, exporter.getFinishedSpanItems().size());
  }

  @Test
  void httpErrorFromDialectMarksSpanError() {
    Exchange ex = factory.begin(request("/llm/chat"));
    ex.response(429, headers("application/json"));
    feed(ex, "{}");
    ex.responseBodyEnd();
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals("429", span.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
  }

  @Test
  void aThrowingDialectNeverReachesTheCaller() {
    Exchange ex = factory.begin(request("/llm/chat"));
    ex.response(200, headers("application/json"));
    assertDoesNotThrow(() -> feed(ex, "a!b"));
    assertDoesNotThrow(ex::responseBodyEnd);
    assertEquals(1, exporter.getFinishedSpanItems().size());
  }

  @Test
  void aCostReportedByLiteLlmIsRecorded() {
    Exchange ex = factory.begin(request("/llm/chat"));
    ex.response(200, name -> name.equalsIgnoreCase("x-litellm-response-cost") ? "0.00042" : null);
    ex.responseBodyEnd();
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals(0.00042, span.getAttributes().get(AttributeKey.doubleKey("gen_ai.usage.cost")));
    assertNull(span.getAttributes().get(AttributeKey.doubleKey("llmotel.cost.input")), "a proxy's cost has no split");
  }

  @Test
  void parentComesFromAProbeWhenTheAgentHasNoCurrentSpan() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    String spanId = "b7ad6b7169203331";
    beginUnder(new ParentSpan(traceId, spanId, (byte) 1, false, null)).responseWithoutBody();
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals(traceId, span.getTraceId());
    assertEquals(spanId, span.getParentSpanId());
    assertNull(span.getAttributes().get(AttributeKey.stringKey("gen_ai.conversation.id")));
  }

  @Test
  void aConversationTheAppsContextNamesIsRecordedWithOrWithoutAParentSpan() {
    beginUnder(new ParentSpan("00000000000000000000000000000000", "0000000000000000", (byte) 0, false, "conv-7"))
        .responseWithoutBody();
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals("conv-7", span.getAttributes().get(AttributeKey.stringKey("gen_ai.conversation.id")));
    assertFalse(span.getParentSpanContext().isValid(), "no parent: the conversation alone is no span");
  }

  @Test
  void theUserAndTagsTheAppsBaggageNamesAreRecorded() {
    beginUnder(new ParentSpan("00000000000000000000000000000000", "0000000000000000", (byte) 0, false, null,
        "user-7", java.util.Arrays.asList("beta", "checkout"))).responseWithoutBody();
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals("user-7", span.getAttributes().get(AttributeKey.stringKey("user.id")));
    assertEquals(java.util.Arrays.asList("beta", "checkout"),
        span.getAttributes().get(AttributeKey.stringArrayKey("llmotel.tags")));
  }

  @Test
  void theTraceparentSentIsTheSpanRecordedLaterUnderItsParent() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    Exchange ex = beginUnder(new ParentSpan(traceId, "b7ad6b7169203331", (byte) 1, false, null));
    String traceparent = ex.propagationHeaders().get("traceparent");
    assertTrue(exporter.getFinishedSpanItems().isEmpty(), "no span exists before the call ends");
    ex.responseWithoutBody();
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals("00-" + traceId + "-" + span.getSpanId() + "-01", traceparent);
    assertNotEquals("b7ad6b7169203331", span.getSpanId());
  }

  @Test
  void anUnsampledCallSaysSoInItsTraceparentAndRecordsNoSpan() {
    SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .setSampler(Sampler.alwaysOff()).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    TracedExchanges unsampled = factory(
        InferenceSpans.builder(provider.get("test")).sampler(provider.getSampler()).build(), ExchangeQueues.inline());
    Exchange ex = unsampled.begin(request("/llm/chat"));
    assertTrue(ex.propagationHeaders().get("traceparent").endsWith("-00"));
    ex.responseWithoutBody();
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
  }

  @Test
  void idsArePresetOnlyForTheAgentsOwnSpans() {
    SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    Exchange ex = factory.begin(request("/llm/chat"));
    ex.responseWithoutBody();
    provider.get("app").spanBuilder("app span").startSpan().end(); // random ids, as with the SDK's default
    provider.get("app").spanBuilder("app span").startSpan().end();
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(3, spans.size());
    assertEquals(3, spans.stream().map(SpanData::getSpanId).distinct().count());
    assertEquals(3, spans.stream().map(SpanData::getTraceId).distinct().count());
  }

  @Test
  void underTheDefaultSamplerAnUnsampledParentMeansAnUnsampledCall() {
    Exchange ex = beginUnder(
        new ParentSpan("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", (byte) 0, true, null));
    String traceparent = ex.propagationHeaders().get("traceparent");
    assertTrue(traceparent.startsWith("00-0af7651916cd43dd8448eb211c80319c-") && traceparent.endsWith("-00"),
        traceparent);
    ex.responseWithoutBody();
    assertTrue(exporter.getFinishedSpanItems().isEmpty(), "the SDK's parent-based sampler drops it too");
  }
}
