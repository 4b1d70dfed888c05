package dev.llmotel.it.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The receiver decodes what the real OpenTelemetry SDK exporter sends, plain or gzip. */
class OtlpReceiverTest {
  @ParameterizedTest
  @ValueSource(strings = {"none", "gzip"})
  void decodesSpansFromTheSdkExporter(String compression) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      SdkTracerProvider provider = SdkTracerProvider.builder()
          .setResource(Resource.getDefault().toBuilder().put("service.name", "receiver-test").build())
          .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
              .setEndpoint(receiver.endpoint() + "/v1/traces").setCompression(compression).build()))
          .build();
      Tracer tracer = provider.get("test-scope");
      Span parent = tracer.spanBuilder("parent").startSpan();
      try (Scope ignored = parent.makeCurrent()) {
        tracer.spanBuilder("chat m").setSpanKind(SpanKind.CLIENT)
            .setAttribute("gen_ai.usage.input_tokens", 11L)
            .setAttribute("gen_ai.response.time_to_first_chunk", 0.25)
            .setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
            .setAttribute("gen_ai.request.stream", true)
            .startSpan().setStatus(StatusCode.ERROR).end();
      }
      parent.end();
      provider.shutdown().join(10, TimeUnit.SECONDS);

      List<ReceivedSpan> spans = receiver.awaitSpans(2);
      assertEquals(2, spans.size(), spans.toString());
      ReceivedSpan chat = receiver.spansNamed("chat m").get(0);
      ReceivedSpan root = receiver.spansNamed("parent").get(0);
      assertEquals(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT, chat.kind());
      assertEquals(11L, chat.attr("gen_ai.usage.input_tokens"));
      assertEquals(0.25, chat.attr("gen_ai.response.time_to_first_chunk"));
      assertEquals(List.of("stop"), chat.attr("gen_ai.response.finish_reasons"));
      assertEquals(true, chat.attr("gen_ai.request.stream"));
      assertEquals(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR, chat.statusCode());
      assertEquals(root.spanId(), chat.parentSpanId());
      assertEquals(root.traceId(), chat.traceId());
      assertEquals(32, chat.traceId().length());
      assertEquals("", root.parentSpanId());
      assertEquals("receiver-test", chat.serviceName());
      assertEquals("test-scope", chat.scopeName());
      assertTrue(chat.protoText().contains("gen_ai.usage.input_tokens"));
      assertEquals(List.of(), receiver.problems());
    }
  }
}
