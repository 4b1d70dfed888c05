package dev.llmotel.it.app.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;

/** The tools, resource and prompt of the app's own MCP server, whatever carries it. */
final class McpServerFeatures {
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";

  private McpServerFeatures() {}

  static <S extends McpServer.SyncSpecification<S>> McpSyncServer build(S spec) {
    return spec.serverInfo("it-mcp-server", "1.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).prompts(false)
            .build())
        .tools(
            tool("get-weather", (exchange, req) -> McpSchema.CallToolResult.builder()
                .addTextContent("Sunny, 21 C in " + req.arguments().get("city")).isError(false).build()),
            tool("broken-tool", (exchange, req) -> McpSchema.CallToolResult.builder()
                .addTextContent("the weather station is offline").isError(true).build()),
            tool("crash-tool", (exchange, req) -> {
              Runtime.getRuntime().halt(3); // the server dies mid-call
              return null;
            }))
        .resources(new SyncResourceSpecification(
            McpSchema.Resource.builder().uri("docs://readme").name("readme").mimeType("text/plain").build(),
            (exchange, req) -> new McpSchema.ReadResourceResult(List.<McpSchema.ResourceContents>of(
                new McpSchema.TextResourceContents(req.uri(), "text/plain", "# Weather service")))))
        .prompts(new SyncPromptSpecification(
            new McpSchema.Prompt("greeting", "A greeting", List.of(new McpSchema.PromptArgument("name", "who", true))),
            (exchange, req) -> new McpSchema.GetPromptResult("A greeting", List.of(new McpSchema.PromptMessage(
                McpSchema.Role.USER, new McpSchema.TextContent("Hello " + req.arguments().get("name")))))))
        .build();
  }

  private static SyncToolSpecification tool(String name,
      java.util.function.BiFunction<io.modelcontextprotocol.server.McpSyncServerExchange, McpSchema.CallToolRequest,
          McpSchema.CallToolResult> handler) {
    McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(name)
        .inputSchema(McpJsonDefaults.getMapper(), SCHEMA).build();
    return SyncToolSpecification.builder().tool(tool).callHandler(handler).build();
  }
}
