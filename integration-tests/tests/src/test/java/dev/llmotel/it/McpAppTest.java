package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java MCP SDK 2.2.0 (apps/mcp): a client talking to the app's own MCP server as a stdio subprocess (run with the
 * agent too: its server spans come from another JVM) and over streamable HTTP (Tomcat in the app's JVM); a tool call
 * inside the app's own span next to an LLM call; a stdio server (without the agent) that dies mid-call.
 */
class McpAppTest extends AppContractTest {
  private static final String APP_SERVICE = AppLaunch.serviceName("mcp");
  private static final String SERVER_SERVICE = "it-mcp-server";
  private static final List<String> SCENARIO = List.of("initialize", "tools/list", "tools/call get-weather",
      "tools/call broken-tool", "resources/read", "prompts/get greeting");
  private static final List<Double> MCP_BUCKETS = List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0,
      60.0, 120.0, 300.0);

  @Override
  String app() { return "mcp"; }

  @Override
  Map<String, Long> expectedSpans() {
    // each name: stdio client + stdio server (other JVM) + http client + http server (no server span for a
    // streamable-HTTP initialize), + the dying server's client calls; the turn's second get-weather, its chat, itself
    return Map.of("initialize", 4L, "tools/list", 4L, "tools/call get-weather", 6L, "tools/call broken-tool", 4L,
        "resources/read", 4L, "prompts/get greeting", 4L, "tools/call crash-tool", 1L,
        "chat gpt-4o-mini", 1L, "handle-turn", 1L);
  }

  @Override
  boolean llmSpansAreRoots() { return false; }

  @Override
  AppRun run(Jdk jdk) {
    int total = expectedSpans().values().stream().mapToInt(Long::intValue).sum();
    return AppRuns.get(app(), jdk, () -> AppLaunch.of(app(), jdk).agentEnv("OTEL_METRICS_EXPORTER", "otlp")
        .expectSpans(total).run());
  }

  private static List<ReceivedSpan> mcp(AppRun run, String service, SpanKind kind) {
    return run.exported().stream().filter(s -> service.equals(s.serviceName()) && s.kind() == kind
        && s.has("mcp.method.name")).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void appOutputShowsEveryScenario(Jdk jdk) {
    String out = run(jdk).plain().stdout();
    assertAll(out,
        () -> assertTrue(out.contains("stdio tools/call get-weather: Sunny, 21 C in Paris isError=false")),
        () -> assertTrue(out.contains("http tools/call broken-tool: the weather station is offline isError=true")),
        () -> assertTrue(out.contains("turn tools/call get-weather: Sunny, 21 C in Oslo")),
        () -> assertTrue(out.contains("crash: the call failed with ")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void everyClientRequestIsAClientSpanPerTheMcpConventions(Jdk jdk) {
    AppRun run = run(jdk);
    List<ReceivedSpan> clients = mcp(run, APP_SERVICE, SpanKind.SPAN_KIND_CLIENT);
    assertEquals(15, clients.size(), run.dump());
    for (ReceivedSpan s : clients) {
      String method = (String) s.attr("mcp.method.name");
      assertAll(s.toString(),
          () -> assertTrue(s.name().equals(method) || s.name().startsWith(method + " "), "name {method} {target}"),
          () -> assertNotNull(s.attr("jsonrpc.request.id")),
          () -> assertNotNull(s.attr("mcp.protocol.version")),
          () -> assertTrue(Set.of("pipe", "tcp").contains(s.attr("network.transport"))),
          () -> assertEquals(method.equals("tools/call") ? "execute_tool" : null, s.attr("gen_ai.operation.name")),
          () -> assertEquals(method.equals("tools/call") ? s.name().substring("tools/call ".length()) : null,
              s.attr("gen_ai.tool.name")),
          () -> assertFalse(s.has("gen_ai.tool.call.arguments"), "content capture is off"),
          () -> assertFalse(s.has("gen_ai.provider.name"), "not an LLM span"));
    }
    for (String transport : List.of("pipe", "tcp")) {
      assertEquals(SCENARIO.stream().sorted().toList(), clients.stream()
          .filter(s -> transport.equals(s.attr("network.transport")) && !s.name().equals("tools/call crash-tool"))
          .filter(s -> s.parentSpanId().isEmpty()).map(ReceivedSpan::name).sorted().distinct().toList(), transport);
    }
    // streamable HTTP: the session the server assigned, the server's address
    clients.stream().filter(s -> "tcp".equals(s.attr("network.transport")) && !s.name().equals("initialize"))
        .forEach(s -> assertNotNull(s.attr("mcp.session.id"), s.toString()));
    clients.stream().filter(s -> "tcp".equals(s.attr("network.transport"))).forEach(s -> assertAll(s.toString(),
        () -> assertEquals("127.0.0.1", s.attr("server.address")),
        () -> assertNotNull(s.attr("server.port"))));
    clients.stream().filter(s -> "pipe".equals(s.attr("network.transport")))
        .forEach(s -> assertFalse(s.has("server.address"), s.toString()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void stdioServerSpansContinueTheClientsTraceAcrossTheProcessBoundary(Jdk jdk) {
    AppRun run = run(jdk);
    List<ReceivedSpan> clients = mcp(run, APP_SERVICE, SpanKind.SPAN_KIND_CLIENT);
    List<ReceivedSpan> servers = mcp(run, SERVER_SERVICE, SpanKind.SPAN_KIND_SERVER);
    assertEquals(7, servers.size(), run.dump());
    for (ReceivedSpan server : servers) {
      ReceivedSpan client = clients.stream().filter(c -> c.spanId().equals(server.parentSpanId())).findFirst()
          .orElse(null);
      assertNotNull(client, "no client span is the parent of " + server + "\n" + run.dump());
      assertAll(server.toString(),
          () -> assertEquals(client.traceId(), server.traceId()),
          () -> assertEquals(client.name(), server.name()),
          () -> assertEquals("pipe", server.attr("network.transport")),
          () -> assertEquals(client.attr("jsonrpc.request.id"), server.attr("jsonrpc.request.id")),
          () -> assertEquals(client.attr("mcp.protocol.version"), server.attr("mcp.protocol.version")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamableHttpServerSpansAreChildrenOfTheirClientSpans(Jdk jdk) {
    AppRun run = run(jdk);
    List<ReceivedSpan> clients = mcp(run, APP_SERVICE, SpanKind.SPAN_KIND_CLIENT);
    List<ReceivedSpan> servers = mcp(run, APP_SERVICE, SpanKind.SPAN_KIND_SERVER);
    assertEquals(SCENARIO.subList(1, SCENARIO.size()).stream().sorted().toList(),
        servers.stream().map(ReceivedSpan::name).sorted().toList(), run.dump());
    for (ReceivedSpan server : servers) {
      ReceivedSpan client = clients.stream().filter(c -> c.spanId().equals(server.parentSpanId())).findFirst()
          .orElseThrow(() -> new AssertionError("no parent for " + server + "\n" + run.dump()));
      assertAll(server.toString(),
          () -> assertEquals("tcp", server.attr("network.transport")),
          () -> assertEquals("tcp", client.attr("network.transport")),
          () -> assertEquals(client.attr("mcp.session.id"), server.attr("mcp.session.id")),
          () -> assertNotNull(server.attr("mcp.session.id")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void toolResultWithIsErrorIsAnErrorOnBothSides(Jdk jdk) {
    List<ReceivedSpan> broken = run(jdk).exported().stream().filter(s -> s.name().equals("tools/call broken-tool"))
        .toList();
    assertEquals(4, broken.size());
    for (ReceivedSpan s : broken) {
      assertAll(s.toString(),
          () -> assertEquals("tool_error", s.attr("error.type")),
          () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()));
    }
    run(jdk).exported().stream().filter(s -> s.name().equals("tools/call get-weather"))
        .forEach(s -> assertNull(s.attr("error.type"), s.toString()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void toolCallInTheAppsSpanIsASiblingOfTheLlmSpan(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan turn = run.single("handle-turn", s -> s.name().equals("handle-turn"));
    ReceivedSpan chat = run.single("chat gpt-4o-mini", s -> s.name().equals("chat gpt-4o-mini"));
    ReceivedSpan tool = run.single("tools/call get-weather in the turn", s -> s.name().equals("tools/call get-weather")
        && s.kind() == SpanKind.SPAN_KIND_CLIENT && turn.spanId().equals(s.parentSpanId()));
    assertAll(
        () -> assertEquals(turn.spanId(), chat.parentSpanId()),
        () -> assertEquals(turn.traceId(), tool.traceId()),
        () -> assertTrue(run.exported().stream().anyMatch(s -> s.kind() == SpanKind.SPAN_KIND_SERVER
            && s.parentSpanId().equals(tool.spanId())), "the server's span of that call is the tool span's child"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void serverDyingMidCallEndsTheSpanAsAnError(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan crash = run.single("tools/call crash-tool", s -> s.name().equals("tools/call crash-tool"));
    assertAll(crash.toString(),
        () -> assertEquals(SpanKind.SPAN_KIND_CLIENT, crash.kind()),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, crash.statusCode()),
        () -> assertNotNull(crash.attr("error.type")),
        () -> assertEquals("pipe", crash.attr("network.transport")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void mcpHttpRequestsAreNotLlmSpans(Jdk jdk) {
    AppRun run = run(jdk);
    assertEquals(List.of("chat gpt-4o-mini"), run.llmSpans().stream().map(ReceivedSpan::name).toList());
    assertTrue(run.exported().stream().noneMatch(s -> s.has("gen_ai.provider.name") && s.has("mcp.method.name")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void operationDurationsAreHistogramsPerSide(Jdk jdk) {
    var receiver = run(jdk).metrics();
    receiver.awaitMetrics(m -> m.name().startsWith("mcp."), 2, java.time.Duration.ofSeconds(10));
    List<HistogramPoint> client = receiver.histogramSeries("mcp.client.operation.duration");
    List<HistogramPoint> server = receiver.histogramSeries("mcp.server.operation.duration");
    assertFalse(client.isEmpty(), receiver.metricNames().toString());
    assertFalse(server.isEmpty(), receiver.metricNames().toString());
    assertEquals(15L, client.stream().mapToLong(HistogramPoint::count).sum(), client.toString());
    assertEquals(12L, server.stream().mapToLong(HistogramPoint::count).sum(), server.toString());
    for (HistogramPoint p : client) {
      assertAll(p.toString(),
          () -> assertEquals(MCP_BUCKETS, p.explicitBounds()),
          () -> assertNotNull(p.attr("mcp.method.name")),
          () -> assertFalse(p.has("jsonrpc.request.id"), "no per-request attribute on a metric"));
    }
    Set<Object> errors = client.stream().map(p -> p.attr("error.type")).filter(e -> e != null)
        .collect(Collectors.toSet());
    assertTrue(errors.contains("tool_error"), errors.toString());
  }
}
