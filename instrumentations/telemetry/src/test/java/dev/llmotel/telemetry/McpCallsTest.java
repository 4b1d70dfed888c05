package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.exchange.RpcCall;
import dev.llmotel.exchange.RpcRequest;
import dev.llmotel.exchange.RpcResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MCP calls as spans: before and after the telemetry is ready, client and server, content policy. */
class McpCallsTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final ContentPolicy capture = new ContentPolicy(true, 100, ContentPolicy.redactions("api-keys", null));

  private McpTelemetry telemetry(ContentPolicy content) {
    return new McpTelemetry(provider.get("test"), null, content);
  }

  private static RpcRequest toolCall(boolean server) {
    RpcRequest r = new RpcRequest("mcp", server, "tools/call");
    r.target = "get-weather";
    r.transport = "pipe";
    return r;
  }

  private static String attr(SpanData s, String key) {
    return s.getAttributes().get(AttributeKey.stringKey(key));
  }

  @Test
  void callBegunBeforeTheTelemetryIsRecordedWithTheIdsItPropagated() {
    McpCalls calls = new McpCalls(capture);
    RpcCall call = calls.begin(toolCall(false));
    String traceparent = call.propagation().get("traceparent");
    assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), traceparent);
    assertTrue(call.capturesContent());
    call.arguments("{\"city\":\"Paris\",\"key\":\"sk-proj-abcdefghijklmnopqrstuvwx\"}");
    RpcResult ok = new RpcResult();
    ok.requestId = "7";
    call.end(ok);
    assertTrue(exporter.getFinishedSpanItems().isEmpty(), "kept until the telemetry is ready");

    calls.ready(telemetry(capture));
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals("tools/call get-weather", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals(traceparent, "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
    assertEquals("execute_tool", attr(span, "gen_ai.operation.name"));
    assertEquals("get-weather", attr(span, "gen_ai.tool.name"));
    assertEquals("7", attr(span, "jsonrpc.request.id"));
    assertTrue(attr(span, "gen_ai.tool.call.arguments").contains("Paris"));
    assertFalse(attr(span, "gen_ai.tool.call.arguments").contains("sk-proj"), "redacted");
  }

  @Test
  void serverCallContinuesTheIncomingTraceAndEndsOnceAsAnError() {
    McpCalls calls = new McpCalls(ContentPolicy.off());
    calls.ready(telemetry(ContentPolicy.off()));
    RpcRequest request = toolCall(true);
    request.incomingContext = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    RpcCall call = calls.begin(request);
    assertTrue(call.propagation().isEmpty());
    assertFalse(call.capturesContent());
    RpcResult error = new RpcResult();
    error.errorCode = "-32602";
    error.errorType = "-32602";
    error.errorMessage = "Unknown tool";
    call.end(error);
    call.end(new RpcResult());
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(1, spans.size());
    SpanData span = spans.get(0);
    assertEquals(SpanKind.SERVER, span.getKind());
    assertEquals("0af7651916cd43dd8448eb211c80319c", span.getTraceId());
    assertEquals("b7ad6b7169203331", span.getParentSpanId());
    assertEquals("-32602", attr(span, "error.type"));
    assertEquals("-32602", attr(span, "rpc.response.status_code"));
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertNull(attr(span, "gen_ai.tool.call.arguments"));
  }

  @Test
  void otherProtocolsAndFailedTelemetryAreNotTraced() {
    McpCalls calls = new McpCalls(ContentPolicy.off());
    assertNull(calls.begin(new RpcRequest("grpc", false, "x")));
    calls.fail();
    assertNull(calls.begin(toolCall(false)));
  }

  @Test
  void failUnlessBegunClosesOnlyWhenNoCallBegan() {
    McpCalls unused = new McpCalls(ContentPolicy.off());
    assertTrue(unused.failUnlessBegun());
    assertNull(unused.begin(toolCall(false)), "a call after the exit hook's decision goes untraced");
    unused.ready(telemetry(ContentPolicy.off()));
    assertNull(unused.begin(toolCall(false)), "ready() after fail() is a no-op");

    McpCalls used = new McpCalls(ContentPolicy.off());
    assertNotNull(used.begin(toolCall(false)));
    assertTrue(used.begun());
    assertFalse(used.failUnlessBegun(), "a call began: the exit hook waits for the telemetry");
    assertNotNull(used.begin(toolCall(false)));
  }
}
