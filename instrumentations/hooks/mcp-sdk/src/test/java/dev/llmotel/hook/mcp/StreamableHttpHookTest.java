package dev.llmotel.hook.mcp;

import static dev.llmotel.hook.mcp.McpSpans.attr;
import static dev.llmotel.hook.mcp.McpSpans.one;
import static dev.llmotel.hook.mcp.McpSpans.waitForSpans;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hook woven into this JVM, a client over the SDK's streamable-HTTP transport (java.net.http) and the SDK's
 * servlet streamable-HTTP server on Tomcat: client spans ({@code tcp}, the server's session id) and server spans (the
 * request's session stream: {@code responseStream} up to 2.1, the stream's {@code handle} in 2.2, the response seen
 * in the servlet transport), one trace per request.
 */
class StreamableHttpHookTest {
  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  private static Tomcat tomcat;
  private static McpSyncServer server;
  private static McpSyncClient client;

  @BeforeAll
  static void start() throws Exception {
    WovenHook.intoLibrary(McpSdkInstrumentation.class);
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build();
    RpcCalls.install(new McpTelemetry(tracerProvider.get("test"), null, ContentPolicy.off()));
    HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").build();
    server = McpTestServer.build(McpServer.sync(provider));
    tomcat = McpOnTomcat.serve(provider);
    client = McpClient.sync(HttpClientStreamableHttpTransport.builder(
        "http://127.0.0.1:" + tomcat.getConnector().getLocalPort()).endpoint("/mcp").build())
        .requestTimeout(Duration.ofSeconds(5)).build();
    client.initialize();
  }

  @AfterAll
  static void stop() throws Exception {
    RpcCalls.install(null);
    McpOnTomcat.stop(client, server, tomcat);
  }

  @BeforeEach
  void reset() throws Exception {
    waitForSpans(SPANS, 1); // initialize: a client span only (the transport provider answers it itself)
    SPANS.reset();
  }

  @Test
  void toolCallIsAClientSpanAndAServerSpanOfOneSession() throws Exception {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("get-weather",
        Map.of("city", "Lima")));
    assertEquals("Sunny in Lima", ((McpSchema.TextContent) result.content().get(0)).text());
    List<SpanData> spans = waitForSpans(SPANS, 2);
    SpanData c = one(spans, SpanKind.CLIENT, "tools/call get-weather");
    SpanData s = one(spans, SpanKind.SERVER, "tools/call get-weather");
    assertEquals(c.getSpanId(), s.getParentSpanId());
    assertEquals(c.getTraceId(), s.getTraceId());
    for (SpanData span : List.of(c, s)) {
      assertEquals("tcp", attr(span, "network.transport"));
      assertNotNull(attr(span, "mcp.session.id"), span.toString());
      assertNull(attr(span, "error.type"));
    }
    assertEquals(attr(c, "mcp.session.id"), attr(s, "mcp.session.id"));
    assertEquals("127.0.0.1", attr(c, "server.address"));
    assertEquals((long) tomcat.getConnector().getLocalPort(),
        c.getAttributes().get(AttributeKey.longKey("server.port")));
    assertEquals(attr(c, "jsonrpc.request.id"), attr(s, "jsonrpc.request.id"));
  }

  @Test
  void serverSpanLearnsTheResponseFromTheTransport() throws Exception {
    assertTrue(client.callTool(new McpSchema.CallToolRequest("broken-tool", Map.of())).isError());
    McpError e = assertThrows(McpError.class,
        () -> client.readResource(new McpSchema.ReadResourceRequest("docs://missing")));
    List<SpanData> spans = waitForSpans(SPANS, 4);
    SpanData broken = one(spans, SpanKind.SERVER, "tools/call broken-tool");
    assertEquals("tool_error", attr(broken, "error.type"));
    assertEquals(StatusCode.ERROR, broken.getStatus().getStatusCode());
    SpanData missing = one(spans, SpanKind.SERVER, "resources/read");
    assertEquals(String.valueOf(e.getJsonRpcError().code()), attr(missing, "error.type"));
    assertEquals(String.valueOf(e.getJsonRpcError().code()),
        attr(one(spans, SpanKind.CLIENT, "resources/read"), "error.type"));
  }
}
