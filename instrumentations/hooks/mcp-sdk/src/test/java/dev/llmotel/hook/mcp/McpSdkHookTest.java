package dev.llmotel.hook.mcp;

import static dev.llmotel.hook.mcp.McpSpans.attr;
import static dev.llmotel.hook.mcp.McpSpans.one;
import static dev.llmotel.hook.mcp.McpSpans.waitForSpans;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.exchange.RpcCalls;
import dev.llmotel.telemetry.ContentPolicy;
import dev.llmotel.telemetry.McpTelemetry;
import dev.llmotel.testkit.hook.WovenHook;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hook woven into the MCP SDK in this JVM (as the agent weaves it), a real client session and a real server
 * session (the SDK's stdio server transport) talking over pipes, the agent's MCP telemetry recording into memory.
 * Runs against the SDK version on the class path: 1.0.1 here, 2.2.0 in mcp-2-tests.
 */
class McpSdkHookTest {
  private static final String SECRET = "sk-proj-abcdefghijklmnopqrstuvwx1234";
  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  private static final InMemoryMetricReader METRICS = InMemoryMetricReader.create();
  private static SdkTracerProvider tracerProvider;
  private static McpSyncServer server;
  private static McpSyncClient client;

  @BeforeAll
  static void start() throws Exception {
    WovenHook.intoLibrary(McpSdkInstrumentation.class);
    tracerProvider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build();
    SdkMeterProvider meterProvider = SdkMeterProvider.builder().registerMetricReader(METRICS).build();
    ContentPolicy content = new ContentPolicy(true, 2000, ContentPolicy.redactions("api-keys", null));
    RpcCalls.install(new McpTelemetry(tracerProvider.get("test"), meterProvider.get("test"), content));

    McpJsonMapper mapper = McpJsonDefaults.getMapper();
    PipedOutputStream clientOut = new PipedOutputStream();
    PipedInputStream serverIn = new PipedInputStream(clientOut, 1 << 16);
    PipedOutputStream serverOut = new PipedOutputStream();
    PipedInputStream clientIn = new PipedInputStream(serverOut, 1 << 16);
    server = McpTestServer.start(new StdioServerTransportProvider(mapper, serverIn, serverOut));
    client = McpClient.sync(new PipeStdioClientTransport(mapper, clientIn, clientOut))
        .requestTimeout(Duration.ofSeconds(1)).build();
    client.initialize();
  }

  @AfterAll
  static void stop() {
    RpcCalls.install(null);
    try {
      client.closeGracefully();
      server.closeGracefully();
    } catch (RuntimeException ignored) {
      // pipes
    }
  }

  @BeforeEach
  void reset() throws Exception {
    waitForSpans(SPANS, 2); // initialize, client and server, ends a moment after the client gets its result
    SPANS.reset();
  }

  @Test
  void runsAgainstTheSdkVersionItClaims() {
    String version = System.getProperty("mcp.version");
    assertNotNull(version, "set by the pom");
    String jar = McpSchema.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertTrue(jar.endsWith("mcp-core-" + version + ".jar"), jar);
  }

  @Test
  void adviceIsWovenIntoBothSessions() {
    WovenHook woven = WovenHook.intoLibrary(McpSdkInstrumentation.class);
    assertTrue(woven.failures().isEmpty(), woven.failures().toString());
    assertTrue(woven.woven().contains(McpSdkInstrumentation.CLIENT_SESSION), woven.woven().toString());
    assertTrue(woven.woven().contains(McpSdkInstrumentation.SERVER_SESSION), woven.woven().toString());
  }

  @Test
  void toolCallIsAClientSpanAndAServerSpanInOneTrace() throws Exception {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("city", "Paris");
    args.put("apiKey", SECRET);
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("get-weather", args));
    assertEquals("Sunny in Paris", ((McpSchema.TextContent) result.content().get(0)).text());

    List<SpanData> spans = waitForSpans(SPANS, 2);
    SpanData c = one(spans, SpanKind.CLIENT, "tools/call get-weather");
    SpanData s = one(spans, SpanKind.SERVER, "tools/call get-weather");
    assertEquals(c.getTraceId(), s.getTraceId());
    assertEquals(c.getSpanId(), s.getParentSpanId(), "the server continues the client's trace from params._meta");
    for (SpanData span : List.of(c, s)) {
      assertEquals("tools/call", attr(span, "mcp.method.name"));
      assertEquals("execute_tool", attr(span, "gen_ai.operation.name"));
      assertEquals("get-weather", attr(span, "gen_ai.tool.name"));
      assertEquals("pipe", attr(span, "network.transport"));
      assertNotNull(attr(span, "jsonrpc.request.id"));
      assertNotNull(attr(span, "mcp.protocol.version"), span.toString());
      assertNull(attr(span, "error.type"));
      assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
      assertTrue(attr(span, "gen_ai.tool.call.arguments").contains("\"city\":\"Paris\""), span.toString());
      assertTrue(attr(span, "gen_ai.tool.call.result").contains("Sunny in Paris"), span.toString());
    }
    assertEquals(attr(c, "jsonrpc.request.id"), attr(s, "jsonrpc.request.id"));
    assertFalse(spans.toString().contains(SECRET), "the key in the arguments is redacted");
  }

  @Test
  void toolResultWithIsErrorIsAnError() throws Exception {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("broken-tool", Map.of()));
    assertTrue(result.isError());
    List<SpanData> spans = waitForSpans(SPANS, 2);
    for (SpanKind kind : List.of(SpanKind.CLIENT, SpanKind.SERVER)) {
      SpanData span = one(spans, kind, "tools/call broken-tool");
      assertEquals("tool_error", attr(span, "error.type"));
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    }
  }

  @Test
  void jsonRpcErrorIsAnErrorWithItsCode() throws Exception {
    McpError e = assertThrows(McpError.class,
        () -> client.readResource(new McpSchema.ReadResourceRequest("docs://missing")));
    String code = String.valueOf(e.getJsonRpcError().code());
    List<SpanData> spans = waitForSpans(SPANS, 2);
    for (SpanKind kind : List.of(SpanKind.CLIENT, SpanKind.SERVER)) {
      SpanData span = one(spans, kind, "resources/read");
      assertEquals(code, attr(span, "error.type"));
      assertEquals(code, attr(span, "rpc.response.status_code"));
      assertEquals("docs://missing", attr(span, "mcp.resource.uri"));
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    }
  }

  @Test
  void listReadAndPromptAreSpansNamedByTheirTarget() throws Exception {
    assertEquals(3, client.listTools().tools().size());
    client.readResource(new McpSchema.ReadResourceRequest("docs://readme"));
    McpSchema.GetPromptResult prompt = client.getPrompt(new McpSchema.GetPromptRequest("greeting", Map.of("name", "Ada")));
    assertEquals("Hello Ada", ((McpSchema.TextContent) prompt.messages().get(0).content()).text());
    List<SpanData> spans = waitForSpans(SPANS, 6);
    one(spans, SpanKind.CLIENT, "tools/list");
    one(spans, SpanKind.SERVER, "tools/list");
    assertEquals("docs://readme", attr(one(spans, SpanKind.CLIENT, "resources/read"), "mcp.resource.uri"));
    SpanData p = one(spans, SpanKind.SERVER, "prompts/get greeting");
    assertEquals("greeting", attr(p, "gen_ai.prompt.name"));
    assertNull(attr(p, "gen_ai.operation.name"));
  }

  @Test
  void clientSpanIsAChildOfTheCurrentSpan() throws Exception {
    Span app = tracerProvider.get("app").spanBuilder("handle-llm-response").startSpan();
    try (Scope ignored = app.makeCurrent()) {
      client.callTool(new McpSchema.CallToolRequest("get-weather", Map.of("city", "Oslo")));
    } finally {
      app.end();
    }
    List<SpanData> spans = waitForSpans(SPANS, 3);
    SpanData c = one(spans, SpanKind.CLIENT, "tools/call get-weather");
    assertEquals(app.getSpanContext().getSpanId(), c.getParentSpanId());
  }

  @Test
  void aTraceparentTheAppPutInMetaIsLeftAsItIs() throws Exception {
    String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    client.callTool(new McpSchema.CallToolRequest("get-weather", Map.of("city", "Rome"), Map.of("traceparent", own)));
    List<SpanData> spans = waitForSpans(SPANS, 2);
    SpanData s = one(spans, SpanKind.SERVER, "tools/call get-weather");
    assertEquals("0af7651916cd43dd8448eb211c80319c", s.getTraceId());
    assertEquals("b7ad6b7169203331", s.getParentSpanId());
  }

  @Test
  void timedOutCallEndsAsAnErrorAndTheAppGetsTheSdksException() throws Exception {
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> client.callTool(new McpSchema.CallToolRequest("slow-tool", Map.of())));
    List<SpanData> spans = waitForSpans(SPANS, 1);
    SpanData c = one(spans, SpanKind.CLIENT, "tools/call slow-tool");
    assertEquals(StatusCode.ERROR, c.getStatus().getStatusCode());
    assertTrue(attr(c, "error.type").contains("Timeout"), attr(c, "error.type") + " / " + e);
    waitForSpans(SPANS, 2); // the server still finishes the call (3 s), ending its own span
  }

  @Test
  void durationsAreRecordedPerSide() throws Exception {
    client.listTools();
    waitForSpans(SPANS, 2);
    Collection<MetricData> metrics = METRICS.collectAllMetrics();
    List<String> names = metrics.stream().map(MetricData::getName).collect(Collectors.toList());
    assertTrue(names.contains("mcp.client.operation.duration"), names.toString());
    assertTrue(names.contains("mcp.server.operation.duration"), names.toString());
    MetricData client = metrics.stream().filter(m -> m.getName().equals("mcp.client.operation.duration"))
        .findFirst().get();
    assertEquals("s", client.getUnit());
    assertTrue(client.getHistogramData().getPoints().stream().anyMatch(p ->
        "tools/list".equals(p.getAttributes().get(AttributeKey.stringKey("mcp.method.name")))
            && p.getBoundaries().equals(List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0,
                120.0, 300.0))));
  }
}
