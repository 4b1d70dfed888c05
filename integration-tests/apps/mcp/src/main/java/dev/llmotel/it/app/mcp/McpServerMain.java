package dev.llmotel.it.app.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;

/** The app's MCP server on stdio (the app starts it as a subprocess); runs until its client closes stdin. */
public final class McpServerMain {
  private McpServerMain() {}

  public static void main(String[] args) throws Exception {
    McpServerFeatures.build(McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper())));
    Thread.currentThread().join();
  }
}
