package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.exchange.RpcCall;
import dev.llmotel.exchange.RpcRequest;
import dev.llmotel.exchange.RpcResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What MCP spans may carry and when they end: a tool's error text only with content capture, error messages cut, calls
 * open at exit ended as {@code unfinished}, a server span without {@code _meta} under the current span.
 */
class McpSpanHygieneTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final ContentPolicy capture = new ContentPolicy(true, 100, ContentPolicy.redactions("api-keys", null));

  private McpTelemetry telemetry(ContentPolicy content) {
    return new McpTelemetry(provider.get("test"), null, content);
  }

  private static RpcRequest request(boolean server, String method, String target) {
    RpcRequest r = new RpcRequest("mcp", server, method);
    r.target = target;
    r.transport = "pipe";
    return r;
  }

  private static RpcResult toolError(String text) {
    RpcResult r = new RpcResult();
    r.errorType = McpAttributes.TOOL_ERROR;
    r.errorMessage = text;
    return r;
  }

  private static String repeat(char c, int n) {
    return String.join("", Collections.nCopies(n, String.valueOf(c)));
  }

  private SpanData only() {
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(1, spans.size(), spans.toString());
    return spans.get(0);
  }

  private static String attr(SpanData s, String key) {
    return s.getAttributes().get(AttributeKey.stringKey(key));
  }

  @Test
  void toolErrorTextIsNoStatusMessageWithContentCaptureOff() {
    for (boolean server : new boolean[] {false, true}) {
      exporter.reset();
      RpcCall call = telemetry(ContentPolicy.off()).begin(request(server, "tools/call", "lookup"));
      call.end(toolError("customer 4711: balance 1200 EUR"));
      SpanData span = only();
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      assertEquals("tool_error", attr(span, "error.type"));
      assertEquals("", span.getStatus().getDescription(), "the tool's output is content");
    }
  }

  @Test
  void toolErrorTextWithContentCaptureIsRedactedAndCut() {
    RpcCall call = telemetry(capture).begin(request(false, "tools/call", "lookup"));
    call.end(toolError("bad key sk-proj-abcdefghijklmnopqrstuvwx " + repeat('x', 1000)));
    String status = only().getStatus().getDescription();
    assertTrue(status.startsWith("bad key [REDACTED] xxx"), status);
    assertTrue(status.length() <= McpTelemetry.MAX_STATUS_CHARS + 3, "cut: " + status.length());
  }

  @Test
  void rpcErrorAndExceptionMessagesAreCut() {
    RpcResult rpc = new RpcResult();
    rpc.errorCode = "-32603";
    rpc.errorType = "-32603";
    rpc.errorMessage = repeat('e', 10_000);
    telemetry(ContentPolicy.off()).begin(request(true, "resources/read", "docs://x")).end(rpc);
    String status = only().getStatus().getDescription();
    assertEquals(repeat('e', McpTelemetry.MAX_STATUS_CHARS) + "...", status);

    exporter.reset();
    RpcResult failed = RpcResult.failed(new IllegalStateException(repeat('m', 5000)));
    telemetry(ContentPolicy.off()).begin(request(false, "tools/list", null)).end(failed);
    assertEquals(McpTelemetry.MAX_STATUS_CHARS + 3, only().getStatus().getDescription().length());
  }

  @Test
  void deferredToolErrorFollowsTheSamePolicy() {
    McpCalls calls = new McpCalls(ContentPolicy.off());
    calls.begin(request(false, "tools/call", "lookup")).end(toolError("secret tool output"));
    calls.ready(telemetry(ContentPolicy.off()));
    assertEquals("", only().getStatus().getDescription());
  }

  @Test
  void callsOpenAtExitEndAsUnfinishedOnce() {
    McpTelemetry telemetry = telemetry(ContentPolicy.off());
    RpcCall open = telemetry.begin(request(false, "tools/call", "slow"));
    RpcCall done = telemetry.begin(request(false, "tools/list", null));
    done.end(new RpcResult());
    assertEquals(1, telemetry.openCalls(), "an ended call is forgotten");
    exporter.reset();

    telemetry.endAtExit();
    SpanData span = only();
    assertEquals("tools/call slow", span.getName());
    assertEquals("unfinished", attr(span, "error.type"));
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(0, telemetry.openCalls());
    open.end(new RpcResult()); // the application's Mono finishing later changes nothing
    telemetry.endAtExit();
    assertEquals(1, exporter.getFinishedSpanItems().size());
  }

  @Test
  void callsBegunBeforeTheTelemetryAndOpenAtExitEndAsUnfinished() {
    McpCalls calls = new McpCalls(ContentPolicy.off());
    RpcCall early = calls.begin(request(false, "tools/call", "early"));
    calls.ready(telemetry(ContentPolicy.off()));
    RpcCall late = calls.begin(request(true, "tools/call", "late"));
    assertTrue(exporter.getFinishedSpanItems().isEmpty());

    calls.endAtExit();
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(2, spans.size(), spans.toString());
    for (SpanData s : spans) assertEquals("unfinished", attr(s, "error.type"), s.getName());
    early.end(new RpcResult());
    late.end(new RpcResult());
    assertEquals(2, exporter.getFinishedSpanItems().size());
  }

  @Test
  void openCallsAreCapped() {
    McpTelemetry telemetry = telemetry(ContentPolicy.off());
    for (int i = 0; i < McpTelemetry.MAX_OPEN + 10; i++) telemetry.begin(request(false, "ping", null));
    assertEquals(McpTelemetry.MAX_OPEN, telemetry.openCalls());
  }

  @Test
  void serverSpanWithoutMetaHasTheCurrentSpanAsParent() {
    Span handler = provider.get("app").spanBuilder("POST /mcp").startSpan();
    try (Scope ignored = handler.makeCurrent()) {
      McpTelemetry telemetry = telemetry(ContentPolicy.off());
      telemetry.begin(request(true, "tools/call", "no-meta")).end(new RpcResult());
      RpcRequest invalid = request(true, "tools/call", "bad-meta");
      invalid.incomingContext = Map.of("traceparent", "not a traceparent");
      telemetry.begin(invalid).end(new RpcResult());
      McpCalls calls = new McpCalls(ContentPolicy.off());
      calls.begin(request(true, "tools/call", "deferred")).end(new RpcResult());
      calls.ready(telemetry);
    } finally {
      handler.end();
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(4, spans.size());
    for (SpanData s : spans) {
      if (s.getName().equals("POST /mcp")) continue;
      assertEquals(handler.getSpanContext().getTraceId(), s.getTraceId(), s.getName());
      assertEquals(handler.getSpanContext().getSpanId(), s.getParentSpanId(), s.getName());
    }
  }

  @Test
  void serverSpanWithMetaStillContinuesTheRemoteTrace() {
    Span handler = provider.get("app").spanBuilder("POST /mcp").startSpan();
    try (Scope ignored = handler.makeCurrent()) {
      RpcRequest request = request(true, "tools/call", "remote");
      request.incomingContext = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
      telemetry(ContentPolicy.off()).begin(request).end(new RpcResult());
    } finally {
      handler.end();
    }
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals("0af7651916cd43dd8448eb211c80319c", span.getTraceId());
    assertEquals("b7ad6b7169203331", span.getParentSpanId());
  }

  @Test
  void resourceUriIsNoPartOfTheSpanNameButToolAndPromptNamesAre() {
    McpTelemetry telemetry = telemetry(ContentPolicy.off());
    telemetry.begin(request(false, "resources/read", "file:///home/me/secret.txt?token=abc")).end(new RpcResult());
    telemetry.begin(request(true, "resources/subscribe", "docs://readme")).end(new RpcResult());
    telemetry.begin(request(false, "tools/call", "get-weather")).end(new RpcResult());
    telemetry.begin(request(false, "prompts/get", "greeting")).end(new RpcResult());
    McpCalls calls = new McpCalls(ContentPolicy.off());
    calls.begin(request(false, "resources/read", "docs://early")).end(new RpcResult());
    calls.ready(telemetry);
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(5, spans.size());
    assertEquals("resources/read", spans.get(0).getName());
    assertEquals("file:///home/me/secret.txt?token=abc", attr(spans.get(0), "mcp.resource.uri"));
    assertEquals("resources/subscribe", spans.get(1).getName());
    assertEquals("docs://readme", attr(spans.get(1), "mcp.resource.uri"));
    assertEquals("tools/call get-weather", spans.get(2).getName());
    assertEquals("prompts/get greeting", spans.get(3).getName());
    assertEquals("resources/read", spans.get(4).getName(), "a call recorded late is named alike");
    assertEquals("docs://early", attr(spans.get(4), "mcp.resource.uri"));
  }

  @Test
  void hooksAreToldHowMuchContentIsKept() {
    assertEquals(400, telemetry(capture).begin(request(false, "tools/call", "t")).contentLimit());
    assertEquals(400, new McpCalls(capture).begin(request(false, "tools/call", "t")).contentLimit());
    assertEquals(0, telemetry(ContentPolicy.off()).begin(request(false, "tools/call", "t")).contentLimit());
    assertEquals(0, new McpCalls(ContentPolicy.off()).begin(request(false, "tools/call", "t")).contentLimit());
  }
}
