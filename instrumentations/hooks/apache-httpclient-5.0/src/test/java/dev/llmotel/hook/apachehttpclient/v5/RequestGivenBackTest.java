package dev.llmotel.hook.apachehttpclient.v5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookTestServer;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequests;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the kit does not ask: the application's request objects come back as it built them (the trace context header
 * went out all the same), a response handler that reads nothing still ends the exchange once, and one async call
 * the client sends twice (its retry of a 429) is one exchange with its request body once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestGivenBackTest {
  private HookTestServer server;
  private RecordingExchangeFactory exchanges;

  @BeforeAll
  void start() throws Exception {
    WovenClients.install();
    server = new HookTestServer();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void record() {
    server.reset();
    exchanges = new RecordingExchangeFactory().install();
  }

  @AfterEach
  void stopRecording() {
    RecordingExchangeFactory.uninstall();
  }

  @Test
  void classicRequestComesBackUnchanged() throws Exception {
    try (CloseableHttpClient client = HttpClients.createDefault()) {
      HttpPost post = new HttpPost(server.uri(HookTestServer.PLAIN));
      HttpEntity entity = new ByteArrayEntity(AbstractHookTest.REQUEST_JSON, ContentType.APPLICATION_JSON);
      post.setEntity(entity);
      post.setHeader("Authorization", "Bearer sk-test");
      byte[] body = client.execute(post, response -> EntityUtils.toByteArray(response.getEntity()));

      assertArrayEquals(HookTestServer.JSON, body);
      assertSame(entity, post.getEntity(), "the application's own entity");
      assertNull(post.getFirstHeader("traceparent"), "no header of ours left on the application's request");
      assertEquals(1, post.getHeaders().length);
      assertEquals(List.of(RecordingExchangeFactory.TRACEPARENT), server.onlyRequest().header("traceparent"));
      assertEquals(Kind.RESPONSE_BODY_END, exchanges.only().awaitEnd(10, TimeUnit.SECONDS));
    }
  }

  /** The handler reads nothing; the client then consumes and closes the response: one end, abandoned. */
  @Test
  void responseHandlerThatReadsNothingEndsTheExchangeOnce() throws Exception {
    try (CloseableHttpClient client = HttpClients.createDefault()) {
      HttpPost post = new HttpPost(server.uri(HookTestServer.PLAIN));
      post.setEntity(new ByteArrayEntity(AbstractHookTest.REQUEST_JSON, ContentType.APPLICATION_JSON));
      int status = client.execute(post, response -> response.getCode());

      assertEquals(200, status);
      RecordedExchange exchange = exchanges.only();
      assertEquals(Kind.RESPONSE_BODY_CLOSED, exchange.awaitEnd(10, TimeUnit.SECONDS));
      assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), exchange.terminalEvents());
    }
  }

  @Test
  @SuppressWarnings("deprecation")
  void asyncRequestComesBackUnchanged() throws Exception {
    try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
      client.start();
      SimpleHttpRequest request = SimpleHttpRequests.post(server.uri(HookTestServer.PLAIN));
      request.setBody(AbstractHookTest.REQUEST_JSON, ContentType.APPLICATION_JSON);
      request.setHeader("Authorization", "Bearer sk-test");
      SimpleHttpResponse response = client.execute(request, null).get(20, TimeUnit.SECONDS);

      assertArrayEquals(HookTestServer.JSON, response.getBodyBytes());
      assertNull(request.getFirstHeader("traceparent"), "no header of ours on the application's request");
      assertFalse(request.containsHeader("traceparent"));
      assertEquals(List.of(RecordingExchangeFactory.TRACEPARENT), server.onlyRequest().header("traceparent"));
      assertEquals(Kind.RESPONSE_BODY_END, exchanges.only().awaitEnd(10, TimeUnit.SECONDS));
    }
  }

  /** HttpClient 5.1+ retries a 429 after its Retry-After (7 s here); 5.0 hangs on it, hook or not. */
  @Test
  @SuppressWarnings("deprecation")
  void asyncRetryOfTheClientIsOneExchange() throws Exception {
    Assumptions.assumeFalse(String.valueOf(System.getProperty("hc5.expected.version")).startsWith("5.0."),
        "HttpClient 5.0 never sends the body of its retry");
    try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
      client.start();
      SimpleHttpRequest request = SimpleHttpRequests.post(server.uri(HookTestServer.ERROR));
      request.setBody(AbstractHookTest.REQUEST_JSON, ContentType.APPLICATION_JSON);
      SimpleHttpResponse response = client.execute(request, null).get(30, TimeUnit.SECONDS);

      assertEquals(429, response.getCode());
      assertEquals(2, server.received().size(), "the client sent it twice");
      for (HookTestServer.Received r : server.received()) assertArrayEquals(AbstractHookTest.REQUEST_JSON, r.body);
      RecordedExchange exchange = exchanges.only();
      assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(10, TimeUnit.SECONDS));
      assertArrayEquals(AbstractHookTest.REQUEST_JSON, exchange.requestBody().bytes(), "the request body, once");
      assertArrayEquals(HookTestServer.ERROR_JSON, exchange.responseBody().bytes());
    }
  }
}
