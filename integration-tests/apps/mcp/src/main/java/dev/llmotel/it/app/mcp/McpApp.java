package dev.llmotel.it.app.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

/**
 * An MCP client app on the Java MCP SDK. Argument: the LLM simulator's base URL.
 *
 * <ol>
 *   <li>stdio: starts its own MCP server ({@link McpServerMain}) as a subprocess, with the same {@code -javaagent} as
 *       this JVM if it has one, and runs the scenario: initialize, tools/list, tools/call get-weather (ok),
 *       tools/call broken-tool (isError), resources/read docs://readme, prompts/get greeting; then, inside its own
 *       span {@code handle-turn}, one chat call to the simulator and a tools/call get-weather with the answer;
 *   <li>streamable HTTP: the same server in this JVM on Tomcat ({@code /mcp}), the same scenario;
 *   <li>a stdio server (without any agent) that dies in the middle of a tools/call crash-tool: the app prints the
 *       SDK's exception.
 * </ol>
 */
public final class McpApp {
  private McpApp() {}

  public static void main(String[] args) throws Exception {
    String llm = args[0];
    try (McpSyncClient stdio = client(stdioTransport(true), Duration.ofSeconds(20))) {
      scenario("stdio", stdio);
      turn(stdio, llm);
    }

    Tomcat tomcat = startHttpServer();
    int port = tomcat.getConnector().getLocalPort();
    try (McpSyncClient http = client(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
        .endpoint("/mcp").build(), Duration.ofSeconds(20))) {
      scenario("http", http);
    }
    tomcat.stop();
    tomcat.destroy();

    McpSyncClient dying = client(stdioTransport(false), Duration.ofSeconds(5));
    dying.initialize();
    try {
      dying.callTool(new McpSchema.CallToolRequest("crash-tool", Map.of()));
      System.out.println("crash: no failure");
    } catch (RuntimeException e) {
      System.out.println("crash: the call failed with " + e.getClass().getName()
          + (e.getCause() == null ? "" : " (" + e.getCause().getClass().getName() + ")"));
    }
    try {
      dying.close();
    } catch (RuntimeException ignored) {
      // the server is gone
    }
    System.out.println("done");
    System.exit(0);
  }

  private static McpSyncClient client(McpClientTransport transport, Duration timeout) {
    return McpClient.sync(transport).requestTimeout(timeout).initializationTimeout(timeout)
        .clientInfo(new McpSchema.Implementation("it-mcp-app", "1.0")).build();
  }

  private static void scenario(String name, McpSyncClient client) {
    McpSchema.InitializeResult init = client.initialize();
    System.out.println(name + " initialize: " + init.serverInfo().name());
    System.out.println(name + " tools/list: " + client.listTools().tools().stream().map(McpSchema.Tool::name).toList());
    McpSchema.CallToolResult ok = client.callTool(new McpSchema.CallToolRequest("get-weather",
        Map.of("city", "Paris")));
    System.out.println(name + " tools/call get-weather: " + text(ok.content()) + " isError=" + ok.isError());
    McpSchema.CallToolResult broken = client.callTool(new McpSchema.CallToolRequest("broken-tool",
        Map.of("city", "Paris")));
    System.out.println(name + " tools/call broken-tool: " + text(broken.content()) + " isError=" + broken.isError());
    McpSchema.ReadResourceResult resource = client.readResource(new McpSchema.ReadResourceRequest("docs://readme"));
    System.out.println(name + " resources/read: "
        + ((McpSchema.TextResourceContents) resource.contents().get(0)).text());
    McpSchema.GetPromptResult prompt = client.getPrompt(new McpSchema.GetPromptRequest("greeting",
        Map.of("name", "Ada")));
    System.out.println(name + " prompts/get: " + ((McpSchema.TextContent) prompt.messages().get(0).content()).text());
  }

  /** The app's own span around an LLM call and the tool call it leads to: both are its children. */
  private static void turn(McpSyncClient client, String llm) throws Exception {
    Span turn = GlobalOpenTelemetry.getTracer("it-mcp-app").spanBuilder("handle-turn").startSpan();
    try (Scope ignored = turn.makeCurrent()) {
      HttpResponse<String> chat = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(llm
          + "/v1/chat/completions"))
          .header("Authorization", "Bearer sk-test")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
              + "\"content\":\"What is the weather in Oslo?\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      System.out.println("turn chat: " + chat.statusCode());
      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("get-weather",
          Map.of("city", "Oslo")));
      System.out.println("turn tools/call get-weather: " + text(result.content()));
    } finally {
      turn.end();
    }
  }

  private static String text(List<McpSchema.Content> content) {
    return ((McpSchema.TextContent) content.get(0)).text();
  }

  /** The app's stdio server as a subprocess of the same JDK, with this JVM's agent when {@code withAgent}. */
  private static StdioClientTransport stdioTransport(boolean withAgent) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String jar = new File(McpApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    List<String> cmd = new ArrayList<>();
    if (withAgent) {
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (arg.startsWith("-javaagent:")) cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(jar);
    cmd.add(McpServerMain.class.getName());
    ServerParameters params = ServerParameters.builder(java).args(cmd)
        .addEnvVar("OTEL_SERVICE_NAME", "it-mcp-server").build();
    return new StdioClientTransport(params, McpJsonDefaults.getMapper());
  }

  private static Tomcat startHttpServer() throws Exception {
    HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").build();
    McpSyncServer server = McpServerFeatures.build(McpServer.sync(provider));
    Tomcat tomcat = new Tomcat();
    File base = Files.createTempDirectory("it-mcp-tomcat").toFile();
    tomcat.setBaseDir(base.getPath());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    Context context = tomcat.addContext("", base.getPath());
    Wrapper wrapper = Tomcat.addServlet(context, "mcp", provider);
    wrapper.setAsyncSupported(true);
    context.addServletMappingDecoded("/*", "mcp");
    tomcat.getConnector();
    tomcat.start();
    return tomcat;
  }
}
