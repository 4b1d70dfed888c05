package dev.llmotel.hook.mcp;

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
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hook woven into this JVM, a client over the SDK's SSE transport (java.net.http: an SSE stream for replies, a
 * POST per message) and the SDK's servlet SSE server on Tomcat (an {@code McpServerSession} per connection): client
 * and server spans ({@code tcp}), one trace per request, initialize included.
 */
class SseHookTest {
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
    HttpServletSseServerTransportProvider provider = HttpServletSseServerTransportProvider.builder()
        .jsonMapper(McpJsonDefaults.getMapper()).messageEndpoint("/mcp/message").sseEndpoint("/sse").build();
    server = McpTestServer.build(McpServer.sync(provider));
    tomcat = new Tomcat();
    File base = Files.createTempDirectory("mcp-hook-sse-tomcat").toFile();
    tomcat.setBaseDir(base.getPath());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    Context context = tomcat.addContext("", base.getPath());
    Tomcat.addServlet(context, "mcp", provider).setAsyncSupported(true);
    context.addServletMappingDecoded("/*", "mcp");
    tomcat.getConnector();
    tomcat.start();
    client = McpClient.sync(HttpClientSseClientTransport.builder(
        "http://127.0.0.1:" + tomcat.getConnector().getLocalPort()).sseEndpoint("/sse").build())
        .requestTimeout(Duration.ofSeconds(5)).build();
    client.initialize();
  }

  @AfterAll
  static void stop() throws Exception {
    RpcCalls.install(null);
    try {
      client.closeGracefully();
      server.closeGracefully();
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @BeforeEach
  void reset() throws Exception {
    waitForSpans(2); // initialize, client and server
    SPANS.reset();
  }

  @Test
  void toolCallIsAClientSpanAndAServerSpanInOneTrace() throws Exception {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("get-weather",
        Map.of("city", "Lima")));
    assertEquals("Sunny in Lima", ((McpSchema.TextContent) result.content().get(0)).text());
    List<SpanData> spans = waitForSpans(2);
    SpanData c = one(spans, SpanKind.CLIENT, "tools/call get-weather");
    SpanData s = one(spans, SpanKind.SERVER, "tools/call get-weather");
    assertEquals(c.getSpanId(), s.getParentSpanId());
    assertEquals(c.getTraceId(), s.getTraceId());
    for (SpanData span : List.of(c, s)) {
      assertEquals("tcp", attr(span, "network.transport"));
      assertNull(attr(span, "error.type"));
      assertNotNull(attr(span, "mcp.protocol.version"), span.toString());
    }
    assertNotNull(attr(s, "mcp.session.id"), "the SSE session of the server");
    assertEquals(attr(c, "jsonrpc.request.id"), attr(s, "jsonrpc.request.id"));
  }

  @Test
  void errorsOnBothSides() throws Exception {
    assertTrue(client.callTool(new McpSchema.CallToolRequest("broken-tool", Map.of())).isError());
    McpError e = assertThrows(McpError.class,
        () -> client.readResource(new McpSchema.ReadResourceRequest("docs://missing")));
    List<SpanData> spans = waitForSpans(4);
    SpanData broken = one(spans, SpanKind.SERVER, "tools/call broken-tool");
    assertEquals("tool_error", attr(broken, "error.type"));
    assertEquals(StatusCode.ERROR, broken.getStatus().getStatusCode());
    SpanData missing = one(spans, SpanKind.SERVER, "resources/read docs://missing");
    assertEquals(String.valueOf(e.getJsonRpcError().code()), attr(missing, "error.type"));
    assertEquals(String.valueOf(e.getJsonRpcError().code()),
        attr(one(spans, SpanKind.CLIENT, "resources/read docs://missing"), "error.type"));
  }

  private static List<SpanData> waitForSpans(int count) throws InterruptedException {
    long deadline = System.nanoTime() + 8_000_000_000L;
    while (SPANS.getFinishedSpanItems().size() < count && System.nanoTime() < deadline) Thread.sleep(10);
    return new ArrayList<>(SPANS.getFinishedSpanItems());
  }

  private static SpanData one(List<SpanData> spans, SpanKind kind, String name) {
    List<SpanData> found = spans.stream().filter(s -> s.getKind() == kind && s.getName().equals(name))
        .collect(Collectors.toList());
    assertEquals(1, found.size(), kind + " " + name + " in " + spans);
    return found.get(0);
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }
}
