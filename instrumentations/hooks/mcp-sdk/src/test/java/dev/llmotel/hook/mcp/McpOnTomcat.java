package dev.llmotel.hook.mcp;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.McpSyncServer;
import jakarta.servlet.Servlet;
import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/** The SDK's servlet server transports (SSE, streamable HTTP) served by an embedded Tomcat. */
final class McpOnTomcat {
  private McpOnTomcat() {}

  /** A started Tomcat on 127.0.0.1 (a free port) serving every path with the transport provider. */
  static Tomcat serve(Servlet provider) throws Exception {
    Tomcat tomcat = new Tomcat();
    File base = Files.createTempDirectory("mcp-hook-tomcat").toFile();
    tomcat.setBaseDir(base.getPath());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    Context context = tomcat.addContext("", base.getPath());
    Tomcat.addServlet(context, "mcp", provider).setAsyncSupported(true);
    context.addServletMappingDecoded("/*", "mcp");
    tomcat.getConnector();
    tomcat.start();
    return tomcat;
  }

  /** Closes the client and the server, then stops Tomcat whatever happened. */
  static void stop(McpSyncClient client, McpSyncServer server, Tomcat tomcat) throws Exception {
    try {
      client.closeGracefully();
      server.closeGracefully();
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }
}
