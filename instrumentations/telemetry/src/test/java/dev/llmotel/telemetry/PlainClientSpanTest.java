package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A dialect that names its span ({@code RequestFacts.spanName}) gets a plain client span: no GenAI anything. */
class PlainClientSpanTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final List<CallRecord> told = new ArrayList<>();

  /** Paths /rpc/{name}: a plain span named {name}; the status's error body is "code" (an error type). */
  private static final class RpcDialect implements Dialect {
    @Override public String name() { return "rpc"; }

    @Override public int precedence() { return SPECIFIC; }

    @Override
    public DialectSession open(ExchangeRequest req, DialectContext context) {
      if (!req.path().startsWith("/rpc/")) return null;
      CallFacts facts = new CallFacts();
      facts.request.spanName = req.path().substring(5);
      facts.request.model = "not-a-model";
      facts.usage.inputTokens = 3;
      facts.response.putExtra("rpc.system", "twirp");
      return new DialectSession() {
        @Override public CallFacts facts() { return facts; }
        @Override public void onRequestBody(byte[] b, int off, int len) {}
        @Override public void onRequestBodyEnd() {}
        @Override public void onResponse(int status, HeaderLookup headers) {
          if (status >= 400) facts.response.errorType = "not_found";
        }
        @Override public void onResponseBody(byte[] b, int off, int len) {}
        @Override public void onResponseEnd(boolean complete) {}
      };
    }
  }

  private Exchange begin(String path) {
    SdkTracerProvider tracer = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    SdkMeterProvider meter = SdkMeterProvider.builder().registerMetricReader(metrics).build();
    InferenceTelemetry telemetry = new InferenceTelemetry(InferenceSpans.builder(tracer.get("test")).build(),
        new InferenceMetrics(meter.get("test")), null);
    TracedExchanges factory = TracedExchanges.builder(Collections.<Dialect>singletonList(new RpcDialect()),
        Pending.of(telemetry)).queues(ExchangeQueues.inline()).listener(told::add).build();
    return factory.begin(new ExchangeRequest("POST", "https", "rpc.example.com", -1, path, null, HeaderLookup.NONE));
  }

  @Test
  void aNamedSpanIsAPlainClientSpanWithoutGenAiAttributesMetricsOrListener() {
    Exchange ex = begin("/rpc/svc.Room/Create");
    assertNotNull(ex.propagationHeaders().get("traceparent"));
    ex.requestBodyEnd();
    ex.response(200, HeaderLookup.NONE);
    ex.responseBodyEnd();

    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(1, spans.size());
    SpanData span = spans.get(0);
    assertEquals("svc.Room/Create", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals("twirp", span.getAttributes().get(AttributeKey.stringKey("rpc.system")));
    assertEquals("rpc.example.com", span.getAttributes().get(AttributeKey.stringKey("server.address")));
    assertEquals(200L, span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    span.getAttributes().forEach((k, v) -> assertFalse(k.getKey().startsWith("gen_ai."), k.getKey()));
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    assertTrue(metrics.collectAllMetrics().isEmpty(), "no GenAI metric for a plain span");
    assertTrue(told.isEmpty(), "listeners hear of LLM calls only");
  }

  @Test
  void aPlainSpanCarriesItsErrorType() {
    Exchange ex = begin("/rpc/svc.Room/Delete");
    ex.response(404, HeaderLookup.NONE);
    ex.responseBodyEnd();
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals("not_found", span.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
  }
}
