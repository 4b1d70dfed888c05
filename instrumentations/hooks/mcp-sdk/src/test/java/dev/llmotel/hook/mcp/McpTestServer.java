package dev.llmotel.hook.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.util.Collections;
import java.util.List;

/** A small MCP server: two tools (one fails with isError, one is slow), a resource, a prompt. */
final class McpTestServer {
  static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";

  private McpTestServer() {}

  static McpSyncServer start(McpServerTransportProvider transport) {
    return build(McpServer.sync(transport));
  }

  static <S extends McpServer.SyncSpecification<S>> McpSyncServer build(S spec) {
    McpSchema.Tool weather = McpSchema.Tool.builder().name("get-weather").description("Weather of a city")
        .inputSchema(McpJsonDefaults.getMapper(), SCHEMA).build();
    McpSchema.Tool broken = McpSchema.Tool.builder().name("broken-tool").description("Always fails")
        .inputSchema(McpJsonDefaults.getMapper(), SCHEMA).build();
    McpSchema.Tool slow = McpSchema.Tool.builder().name("slow-tool").description("Takes its time")
        .inputSchema(McpJsonDefaults.getMapper(), SCHEMA).build();
    McpSchema.Resource readme = McpSchema.Resource.builder().uri("docs://readme").name("readme")
        .mimeType("text/plain").build();
    McpSchema.Prompt greeting = new McpSchema.Prompt("greeting", "A greeting",
        Collections.singletonList(new McpSchema.PromptArgument("name", "who", true)));
    return spec
        .serverInfo("test-server", "1.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).prompts(false)
            .build())
        .tools(
            McpServerFeatures.SyncToolSpecification.builder().tool(weather)
                .callHandler((exchange, req) -> McpSchema.CallToolResult.builder()
                    .addTextContent("Sunny in " + req.arguments().get("city")).isError(false).build())
                .build(),
            McpServerFeatures.SyncToolSpecification.builder().tool(broken)
                .callHandler((exchange, req) -> McpSchema.CallToolResult.builder()
                    .addTextContent("the tool broke").isError(true).build())
                .build(),
            McpServerFeatures.SyncToolSpecification.builder().tool(slow)
                .callHandler((exchange, req) -> {
                  try {
                    Thread.sleep(3_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return McpSchema.CallToolResult.builder().addTextContent("late").build();
                })
                .build())
        .resources(new McpServerFeatures.SyncResourceSpecification(readme,
            (exchange, req) -> new McpSchema.ReadResourceResult(Collections.<McpSchema.ResourceContents>singletonList(
                new McpSchema.TextResourceContents(req.uri(), "text/plain", "# Read me")))))
        .prompts(new McpServerFeatures.SyncPromptSpecification(greeting,
            (exchange, req) -> new McpSchema.GetPromptResult("A greeting", List.of(new McpSchema.PromptMessage(
                McpSchema.Role.USER, new McpSchema.TextContent("Hello " + req.arguments().get("name")))))))
        .build();
  }
}
