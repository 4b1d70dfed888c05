package dev.llmotel.hook.vertx.v4;

import static dev.llmotel.hook.vertx.v4.VertxFlowTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.llmotel.testkit.hook.HookTestServer;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vert.x WebClient sits on the hooked HttpClient: each of its calls is one exchange, whole (JSON in, JSON codec out)
 * or streamed (the body piped into a file as it arrives), with the bytes the application sent and got.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class WebClientTest {
  private HookTestServer server;
  private Vertx vertx;
  private WebClient client;
  private RecordingExchangeFactory exchanges;

  @BeforeAll
  void start() throws Exception {
    WovenVertx.weave();
    server = new HookTestServer();
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    await(vertx.close());
    server.close();
    WovenVertx.assertAdviceWoven();
  }

  @BeforeEach
  void recorder() {
    server.reset();
    exchanges = new RecordingExchangeFactory().install();
  }

  @AfterEach
  void uninstall() throws Exception {
    server.releaseStream();
    for (RecordedExchange exchange : exchanges.exchanges()) exchange.awaitEnd(10, TimeUnit.SECONDS);
    RecordingExchangeFactory.uninstall();
  }

  @Test
  void sendJsonAsJsonObjectIsOneExchange() throws Exception {
    JsonObject request = new JsonObject().put("model", "gpt-4o-mini")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    HttpResponse<JsonObject> response = await(client.postAbs(server.uri(HookTestServer.PLAIN).toString())
        .putHeader("Authorization", "Bearer sk-test")
        .as(BodyCodec.jsonObject())
        .sendJson(request));
    assertEquals(200, response.statusCode());
    assertEquals("chatcmpl-1", response.body().getString("id"));

    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(10, TimeUnit.SECONDS));
    assertArrayEquals(server.onlyRequest().body, exchange.requestBody().bytes(), "the bytes WebClient sent");
    assertEquals(request, new JsonObject(new String(exchange.requestBody().bytes(), StandardCharsets.UTF_8)));
    assertArrayEquals(HookTestServer.JSON, exchange.responseBody().bytes());
    assertEquals(List.of(RecordingExchangeFactory.TRACEPARENT), server.onlyRequest().header("traceparent"));
    assertEquals(List.of(Kind.PROPAGATION_HEADERS, Kind.REQUEST_BODY, Kind.REQUEST_BODY_END, Kind.RESPONSE,
        Kind.RESPONSE_BODY, Kind.RESPONSE_BODY_END), exchange.events());
  }

  @Test
  void streamPipedIntoAFileIsOneExchange(@TempDir Path dir) throws Exception {
    server.releaseStream();
    Path target = dir.resolve("stream.sse");
    AsyncFile file = vertx.fileSystem().openBlocking(target.toString(), new OpenOptions());
    HttpResponse<Void> response = await(client.postAbs(server.uri(HookTestServer.STREAM).toString())
        .putHeader("Content-Type", "application/json")
        .as(BodyCodec.pipe(file))
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(dev.llmotel.testkit.hook.AbstractHookTest.STREAM_REQUEST_JSON)));
    assertEquals(200, response.statusCode());
    assertArrayEquals(HookTestServer.SSE, Files.readAllBytes(target), "the application's file");

    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(10, TimeUnit.SECONDS));
    assertEquals(List.of(Kind.RESPONSE_BODY_END), exchange.terminalEvents());
    assertArrayEquals(HookTestServer.SSE, exchange.responseBody().bytes());
    assertEquals("text/event-stream", exchange.responseHeader("content-type"));
  }

  @Test
  void connectionRefusedIsOneFailedExchange() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Exception appError = null;
    try {
      await(client.postAbs("http://127.0.0.1:" + closedPort + HookTestServer.PLAIN)
          .sendBuffer(io.vertx.core.buffer.Buffer.buffer(dev.llmotel.testkit.hook.AbstractHookTest.REQUEST_JSON)));
    } catch (Exception e) {
      appError = e;
    }
    assertInstanceOf(ConnectException.class, appError);
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.FAILED, exchange.awaitEnd(10, TimeUnit.SECONDS));
    assertEquals(appError, exchange.failure());
    assertEquals(HookTestServer.PLAIN, exchange.request().path());
  }
}
