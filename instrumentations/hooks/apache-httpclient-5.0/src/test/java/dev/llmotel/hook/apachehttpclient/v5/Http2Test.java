package dev.llmotel.hook.apachehttpclient.v5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookTestServer;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequests;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer;
import org.apache.hc.core5.http.nio.AsyncRequestConsumer;
import org.apache.hc.core5.http.nio.AsyncServerRequestHandler;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestConsumer;
import org.apache.hc.core5.http.nio.support.BasicResponseProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2ServerBootstrap;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ListenerEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The async HTTP/2 clients ({@code InternalH2AsyncClient}, {@code MinimalH2AsyncClient}) run the same woven {@code
 * doExecute}: one call against a local h2c server (HttpCore's own, HTTP/2 only) is one exchange with the request
 * body, the trace context header and the response body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2Test {
  private final List<Message<HttpRequest, String>> received = new CopyOnWriteArrayList<>();
  private HttpAsyncServer server;
  private URI uri;
  private RecordingExchangeFactory exchanges;

  @BeforeAll
  @SuppressWarnings("deprecation")
  void start() throws Exception {
    WovenClients.install();
    AsyncServerRequestHandler<Message<HttpRequest, String>> handler =
        new AsyncServerRequestHandler<Message<HttpRequest, String>>() {
          @Override
          public AsyncRequestConsumer<Message<HttpRequest, String>> prepare(HttpRequest request,
              EntityDetails entity, HttpContext context) {
            return new BasicRequestConsumer<>(entity != null ? new StringAsyncEntityConsumer() : null);
          }

          @Override
          public void handle(Message<HttpRequest, String> message, ResponseTrigger trigger, HttpContext context)
              throws java.io.IOException, org.apache.hc.core5.http.HttpException {
            received.add(message);
            trigger.submitResponse(new BasicResponseProducer(200,
                new String(HookTestServer.JSON, StandardCharsets.UTF_8), ContentType.APPLICATION_JSON), context);
          }
        };
    // HttpCore 5.0 routes "*" for any host; 5.3+ answers 421 unless the host is its canonical name or a virtual one
    server = H2ServerBootstrap.bootstrap()
        .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_2)
        .register("*", handler)
        .registerVirtual("127.0.0.1", "*", handler)
        .create();
    server.start();
    ListenerEndpoint endpoint = server.listen(new InetSocketAddress("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
    uri = URI.create("http://127.0.0.1:" + ((InetSocketAddress) endpoint.getAddress()).getPort()
        + HookTestServer.PLAIN);
  }

  @AfterAll
  void stop() {
    server.close(CloseMode.IMMEDIATE);
  }

  @BeforeEach
  void record() {
    received.clear();
    exchanges = new RecordingExchangeFactory().install();
  }

  @AfterEach
  void stopRecording() {
    RecordingExchangeFactory.uninstall();
  }

  @Test
  void internalH2Client() throws Exception {
    try (CloseableHttpAsyncClient client = HttpAsyncClients.createHttp2Default()) {
      assertEquals("InternalH2AsyncClient", client.getClass().getSimpleName());
      oneExchange(client);
    }
  }

  @Test
  void minimalH2Client() throws Exception {
    try (CloseableHttpAsyncClient client = HttpAsyncClients.createHttp2Minimal()) {
      assertEquals("MinimalH2AsyncClient", client.getClass().getSimpleName());
      oneExchange(client);
    }
  }

  @SuppressWarnings("deprecation")
  private void oneExchange(CloseableHttpAsyncClient client) throws Exception {
    client.start();
    SimpleHttpRequest request = SimpleHttpRequests.post(uri);
    request.setBody(AbstractHookTest.REQUEST_JSON, ContentType.APPLICATION_JSON);
    SimpleHttpResponse response = client.execute(request, null).get(20, TimeUnit.SECONDS);

    assertEquals(200, response.getCode());
    assertArrayEquals(HookTestServer.JSON, response.getBodyBytes());
    assertEquals(1, received.size());
    Message<HttpRequest, String> atServer = received.get(0);
    assertEquals(new String(AbstractHookTest.REQUEST_JSON, StandardCharsets.UTF_8), atServer.getBody());
    assertEquals(RecordingExchangeFactory.TRACEPARENT, atServer.getHead().getFirstHeader("traceparent").getValue());
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(10, TimeUnit.SECONDS));
    assertEquals(List.of(Kind.PROPAGATION_HEADERS, Kind.REQUEST_BODY, Kind.REQUEST_BODY_END, Kind.RESPONSE,
        Kind.RESPONSE_BODY, Kind.RESPONSE_BODY_END), exchange.events());
    assertArrayEquals(AbstractHookTest.REQUEST_JSON, exchange.requestBody().bytes());
    assertArrayEquals(HookTestServer.JSON, exchange.responseBody().bytes());
    assertEquals(200, exchange.status());
  }
}
