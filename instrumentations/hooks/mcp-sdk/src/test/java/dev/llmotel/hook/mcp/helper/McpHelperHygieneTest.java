package dev.llmotel.hook.mcp.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.exchange.RpcCall;
import dev.llmotel.exchange.RpcCalls;
import dev.llmotel.exchange.RpcResult;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.llmotel.exchange.RpcRequest;
import dev.llmotel.telemetry.ContentPolicy;
import dev.llmotel.telemetry.McpTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

/** The helpers on their own: a tool's error text only with content, no entry kept alive by a request left open. */
class McpHelperHygieneTest {
  private static McpSchema.CallToolResult toolError(String text) {
    List<McpSchema.Content> content = Collections.<McpSchema.Content>singletonList(new McpSchema.TextContent(text));
    return new McpSchema.CallToolResult(content, Boolean.TRUE, null, null);
  }

  @Test
  void toolErrorTextIsNoErrorMessageWithoutContent() {
    RpcResult off = McpMessages.success(toolError("account 4711 is overdrawn"), false);
    assertEquals("tool_error", off.errorType);
    assertNull(off.errorMessage, "the tool's output is content");
    assertNull(off.resultJson);

    RpcResult on = McpMessages.success(toolError("account 4711 is overdrawn"), true);
    assertEquals("tool_error", on.errorType);
    assertEquals("account 4711 is overdrawn", on.errorMessage);
  }

  /** A call that remembers nothing of the transport. */
  private static final class Recorded implements RpcCall {
    final List<RpcResult> ends = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> propagation() {
      return Collections.emptyMap();
    }

    @Override
    public boolean capturesContent() {
      return false;
    }

    @Override
    public void arguments(String json) {}

    @Override
    public void end(RpcResult result) {
      ends.add(result);
    }
  }

  /** A streamable-HTTP transport and session that refer to each other, as the SDK's do. */
  private static final class Transport {
    Object session;
  }

  @Test
  void streamableRequestNeverFinishedKeepsNeitherTransportNorSession() throws Exception {
    List<Recorded> calls = new CopyOnWriteArrayList<>();
    RpcCalls.install(request -> {
      Recorded c = new Recorded();
      calls.add(c);
      return c;
    });
    try {
      ServerRequestHook hook = new ServerRequestHook();
      WeakReference<Object> transportRef = beginAndDrop(hook);
      assertEquals(1, calls.size(), "the request was traced");
      for (int i = 0; i < 50 && transportRef.get() != null; i++) {
        System.gc();
        Thread.sleep(20);
      }
      assertNull(transportRef.get(), "the transport of a request never finished is not kept by the hook");
    } finally {
      RpcCalls.install(null);
    }
  }

  /** Begins a streamable-HTTP request whose Mono is then dropped, never subscribed: only weak references remain. */
  private static WeakReference<Object> beginAndDrop(ServerRequestHook hook) {
    Transport transport = new Transport();
    Transport session = new Transport(); // the session knows its stream's transport, and the transport its session
    session.session = transport;
    transport.session = session;
    McpSchema.JSONRPCRequest request = new McpSchema.JSONRPCRequest("2.0", "tools/call", 1,
        Collections.singletonMap("name", "slow"));
    Object token = hook.enter(session, new Object[] {request, transport, Boolean.TRUE});
    assertNotNull(token);
    Object[] box = {reactor.core.publisher.Mono.never()};
    hook.exit(token, box, null);
    assertTrue(Arrays.asList(box).get(0) instanceof reactor.core.publisher.Mono);
    return new WeakReference<Object>(transport);
  }

  @Test
  void streamableRequestThatFinishesStillGetsItsResponse() {
    List<Recorded> calls = new CopyOnWriteArrayList<>();
    RpcCalls.install(request -> {
      Recorded c = new Recorded();
      calls.add(c);
      return c;
    });
    try {
      ServerRequestHook hook = new ServerRequestHook();
      Transport transport = new Transport();
      Object session = new Object();
      McpSchema.JSONRPCRequest request = new McpSchema.JSONRPCRequest("2.0", "tools/call", 7,
          Collections.singletonMap("name", "broken"));
      Object token = hook.enter(session, new Object[] {request, transport, Boolean.TRUE});
      hook.enter(transport, new Object[] {new McpSchema.JSONRPCResponse("2.0", 7, null,
          new McpSchema.JSONRPCResponse.JSONRPCError(-32602, "Unknown tool", null))});
      Object[] box = {reactor.core.publisher.Mono.empty()};
      hook.exit(token, box, null);
      ((reactor.core.publisher.Mono<?>) box[0]).block();
      assertEquals(1, calls.get(0).ends.size());
      assertEquals("-32602", calls.get(0).ends.get(0).errorType);
    } finally {
      RpcCalls.install(null);
    }
  }

  private static String repeat(char c, int n) {
    return String.join("", Collections.nCopies(n, String.valueOf(c)));
  }

  @Test
  void contentIsWrittenOnlyALittlePastTheTelemetrysLimit() {
    Map<String, Object> arguments = new LinkedHashMap<>();
    arguments.put("query", repeat('q', 1_000_000));
    arguments.put("pages", Arrays.asList(repeat('p', 500_000), repeat('p', 500_000)));
    String cut = Json.write(arguments, 400);
    assertTrue(cut.length() <= 400 + Json.SLACK + 8, "written: " + cut.length());
    assertTrue(cut.startsWith("{\"query\":\"qqq"), cut.substring(0, 20));
    assertEquals(2_000_000 + 28, Json.write(arguments, 0).length(), "no limit: whole");
    assertEquals("{\"a\":[1,true,\"x\"]}", Json.write(Collections.singletonMap("a", Arrays.asList(1, true, "x")), 400));

    List<McpSchema.Content> parts = Arrays.<McpSchema.Content>asList(new McpSchema.TextContent(repeat('t', 300_000)),
        new McpSchema.TextContent(repeat('u', 300_000)));
    String result = McpMessages.contentJson(parts, 400);
    assertTrue(result.length() <= 400 + Json.SLACK + 8, "written: " + result.length());
    assertEquals(600_000 + 53, McpMessages.contentJson(parts).length());
    RpcResult ok = McpMessages.success(new McpSchema.CallToolResult(parts, Boolean.FALSE, null, null), true, 400);
    assertTrue(ok.resultJson.length() <= 400 + Json.SLACK + 8, "written: " + ok.resultJson.length());
  }

  @Test
  void cutArgumentsAreStillRedactedAndCutByTheTelemetry() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
    ContentPolicy capture = new ContentPolicy(true, 100, ContentPolicy.redactions("api-keys", null));
    RpcCall call = new McpTelemetry(provider.get("test"), null, capture).begin(new RpcRequest("mcp", false,
        "tools/call"));
    assertEquals(capture.maxAttributeChars(), call.contentLimit());
    // a key straddling the telemetry's limit, then much more
    Map<String, Object> arguments = Collections.singletonMap("q",
        repeat('a', 375) + " sk-proj-abcdefghijklmnopqrstuvwx " + repeat('b', 1_000_000));
    call.arguments(Json.write(arguments, call.contentLimit()));
    call.end(new RpcResult());
    String recorded = exporter.getFinishedSpanItems().get(0).getAttributes()
        .get(AttributeKey.stringKey("gen_ai.tool.call.arguments"));
    assertTrue(recorded.startsWith("{\"q\":\"aaa"), recorded);
    assertTrue(recorded.contains("[REDACTED]") && !recorded.contains("sk-proj"), recorded);
    assertTrue(recorded.length() < capture.maxAttributeChars() + 40, "cut: " + recorded.length());
    assertEquals(0, new McpTelemetry(provider.get("test"), null, ContentPolicy.off())
        .begin(new RpcRequest("mcp", false, "tools/call")).contentLimit(), "capture off: no limit asked");
  }

  @Test
  void aCallHasEndedBeforeTheApplicationSeesItsOutcome() {
    List<Recorded> calls = new CopyOnWriteArrayList<>();
    RpcCalls.install(request -> {
      Recorded c = new Recorded();
      calls.add(c);
      return c;
    });
    try {
      List<Integer> endsSeenByTheApplication = new CopyOnWriteArrayList<>();
      ClientRequestHook client = new ClientRequestHook();
      Object session = new Object();
      Object failing = client.enter(session, new Object[] {"tools/call", Collections.singletonMap("name", "crash"),
          null});
      Object[] box = {reactor.core.publisher.Mono.error(new IllegalStateException("server died"))};
      client.exit(failing, box, null);
      ((reactor.core.publisher.Mono<?>) box[0]).subscribe(v -> {}, e -> endsSeenByTheApplication.add(
          calls.get(0).ends.size()));
      Object ok = client.enter(session, new Object[] {"tools/list", null, null});
      box[0] = reactor.core.publisher.Mono.just("result");
      client.exit(ok, box, null);
      ((reactor.core.publisher.Mono<?>) box[0]).subscribe(v -> endsSeenByTheApplication.add(calls.get(1).ends.size()));

      ServerRequestHook server = new ServerRequestHook();
      McpSchema.JSONRPCRequest request = new McpSchema.JSONRPCRequest("2.0", "tools/list", 3, null);
      Object handled = server.enter(session, new Object[] {request, new Object()});
      box[0] = reactor.core.publisher.Mono.just(new McpSchema.JSONRPCResponse("2.0", 3, "x", null));
      server.exit(handled, box, null);
      ((reactor.core.publisher.Mono<?>) box[0]).subscribe(v -> endsSeenByTheApplication.add(calls.get(2).ends.size()));

      assertEquals(Arrays.asList(1, 1, 1), endsSeenByTheApplication, "ended as the outcome passed");
      assertEquals(IllegalStateException.class.getName(), calls.get(0).ends.get(0).errorType);
      for (Recorded c : calls) assertEquals(1, c.ends.size(), "ended once");
    } finally {
      RpcCalls.install(null);
    }
  }
}
