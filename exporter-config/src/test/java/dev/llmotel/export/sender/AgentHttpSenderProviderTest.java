package dev.llmotel.export.sender;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.config.ExportThreads;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.HttpResponse;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentHttpSenderProviderTest {
  @Test
  void urlConnectionByDefaultAndTheJdkClientWhenAsked() {
    assertEquals("url-connection", new AgentHttpSenderProvider(null).kind());
    assertEquals("url-connection", new AgentHttpSenderProvider("URL-Connection").kind());
    assertEquals("jdk", new AgentHttpSenderProvider(" JDK ").kind());
    assertEquals("url-connection", new AgentHttpSenderProvider("okhttp").kind(), "an unknown value is ignored");
  }

  @Test
  void theSdkFindsOnlyTheAgentsSenderAndNoGrpcOne() {
    ComponentLoader loader = new AgentComponentLoader(getClass().getClassLoader(), "url-connection");
    List<HttpSenderProvider> http = ComponentLoader.loadList(loader, HttpSenderProvider.class);
    assertEquals(1, http.size());
    assertTrue(http.get(0) instanceof AgentHttpSenderProvider);
    assertTrue(ComponentLoader.loadList(loader, GrpcSenderProvider.class).isEmpty());
    // and the exporter really is built on it (the JDK sender's own service file is on this test class path too)
    OtlpHttpSpanExporter.builder().setComponentLoader(loader).build().shutdown();
  }

  /** The guarantee the JDK clients' hooks rely on to leave the agent's own export alone. */
  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url-connection"})
  void sendsOnExportThreads(String kind) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", x -> {
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    server.start();
    CompletableFuture<Boolean> writtenOnExportThread = new CompletableFuture<>();
    CompletableFuture<Integer> status = new CompletableFuture<>();
    try {
      OtlpHttpSpanExporter.builder(); // (loads the SDK's classes; not used)
      HttpSender sender = new AgentHttpSenderProvider(kind).createSender(
          new TestConfig(java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces")));
      assertFalse(ExportThreads.isCurrent());
      sender.send(new MessageWriter() {
        @Override
        public void writeMessage(OutputStream out) throws IOException {
          writtenOnExportThread.complete(ExportThreads.isCurrent());
          out.write(new byte[] {1, 2, 3});
        }

        @Override
        public int getContentLength() {
          return 3;
        }
      }, (HttpResponse r) -> status.complete(r.getStatusCode()), status::completeExceptionally);
      assertEquals(200, status.get(10, TimeUnit.SECONDS));
      assertTrue(writtenOnExportThread.get(1, TimeUnit.SECONDS));
      assertTrue(sender.shutdown().join(10, TimeUnit.SECONDS).isSuccess());
    } finally {
      server.stop(0);
    }
  }
}
