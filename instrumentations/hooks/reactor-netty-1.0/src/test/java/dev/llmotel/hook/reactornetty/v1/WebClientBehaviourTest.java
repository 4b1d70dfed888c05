package dev.llmotel.hook.reactornetty.v1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.exchange.Exchanges;
import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookTestServer;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Spring WebClient the way applications use it: bodyToFlux and take, toBodilessEntity, a subscribe from a thread. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class WebClientBehaviourTest {
  private HookTestServer server;
  private ConnectionProvider pool;
  private WebClient web;
  private RecordingExchangeFactory exchanges;
  private final List<String> beginThreads = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  void start() throws Exception {
    WovenReactorNetty.install();
    server = new HookTestServer();
    pool = ConnectionProvider.builder("webclient-behaviour").maxConnections(2).build();
    web = WebClient.builder().baseUrl(server.uri("/").toString())
        .clientConnector(new ReactorClientHttpConnector(HttpClient.create(pool))).build();
  }

  @AfterAll
  void stop() throws Exception {
    pool.disposeLater().block(Duration.ofSeconds(10));
    server.close();
    ReactorNettyHookTest.assertNoLeaks();
  }

  @BeforeEach
  void recorder() {
    server.reset();
    beginThreads.clear();
    exchanges = new RecordingExchangeFactory();
    Exchanges.install(request -> {
      beginThreads.add(Thread.currentThread().getName());
      return exchanges.begin(request);
    });
  }

  @AfterEach
  void uninstall() {
    server.releaseStream();
    RecordingExchangeFactory.uninstall();
  }

  private WebClient.ResponseSpec post(String path, byte[] body) {
    return web.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).retrieve();
  }

  /** An SSE stream the application stops after two lines: abandoned, with no more than the server had sent. */
  @Test
  void bodyToFluxCutShortIsAbandoned() throws Exception {
    List<String> lines = post(HookTestServer.STREAM, AbstractHookTest.STREAM_REQUEST_JSON)
        .bodyToFlux(String.class).take(2).collectList().block(Duration.ofSeconds(20));
    assertEquals(2, lines.size());
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_CLOSED, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
    // ended before the server's last event, which it holds back until releaseStream(); (server.streamFinished() is no
    // test of that here: it also turns true once the server's next write meets the closed connection, a few ms on)
    byte[] seen = exchange.responseBody().bytes();
    assertTrue(seen.length > 0 && seen.length < HookTestServer.SSE.length, "saw " + seen.length);
  }

  /**
   * Spring Boot closing its context destroys the {@code ReactorResourceFactory}, whose event loops close every
   * connection: a stream still open then (the application took what it wanted, but its cancel was still held up by an
   * operator, as Spring AI's {@code windowUntil} can under load) ends as abandoned, not failed.
   */
  @Test
  void aStreamOpenWhenTheResourceFactoryIsDestroyedIsAbandoned() throws Exception {
    ReactorResourceFactory resources = new ReactorResourceFactory();
    resources.setUseGlobalResources(false);
    resources.setShutdownQuietPeriod(Duration.ZERO);
    resources.afterPropertiesSet();
    WebClient own = WebClient.builder().baseUrl(server.uri("/").toString())
        .clientConnector(new ReactorClientHttpConnector(resources, client -> client)).build();
    CountDownLatch firstLine = new CountDownLatch(1);
    CompletableFuture<String> appSaw = new CompletableFuture<>();
    own.post().uri(HookTestServer.STREAM).contentType(MediaType.APPLICATION_JSON)
        .bodyValue(AbstractHookTest.STREAM_REQUEST_JSON).retrieve().bodyToFlux(String.class)
        .subscribe(line -> firstLine.countDown(), e -> appSaw.complete("error"), () -> appSaw.complete("complete"));
    assertTrue(firstLine.await(10, TimeUnit.SECONDS));
    resources.destroy();
    assertEquals("error", ReactorNettyBehaviourTest.signalAfterShutdown(appSaw), "the application's stream breaks");
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_CLOSED, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
    assertTrue(exchange.responseBody().bytes().length < HookTestServer.SSE.length, "before the server's last event");
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), exchange.terminalEvents());
  }

  @Test
  void bodyToFluxReadToItsEnd() throws Exception {
    server.releaseStream();
    String joined = String.join("\n", post(HookTestServer.STREAM, AbstractHookTest.STREAM_REQUEST_JSON)
        .bodyToFlux(String.class).collectList().block(Duration.ofSeconds(20)));
    assertFalse(joined.isEmpty());
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
    assertArrayEquals(HookTestServer.SSE, exchange.responseBody().bytes());
    assertArrayEquals(AbstractHookTest.STREAM_REQUEST_JSON, exchange.requestBody().bytes());
  }

  /** {@code toBodilessEntity} lets Spring drain the body: the call still ends exactly once. */
  @Test
  void toBodilessEntityEndsTheCall() throws Exception {
    ResponseEntity<Void> entity = post(HookTestServer.PLAIN, AbstractHookTest.REQUEST_JSON).toBodilessEntity()
        .block(Duration.ofSeconds(20));
    assertEquals(200, entity.getStatusCode().value());
    RecordedExchange exchange = exchanges.only();
    Kind end = exchange.awaitEnd(10, TimeUnit.SECONDS);
    assertTrue(end == Kind.RESPONSE_BODY_END || end == Kind.RESPONSE_WITHOUT_BODY
        || end == Kind.RESPONSE_BODY_CLOSED, exchange.toString());
    assertEquals(List.of(end), exchange.terminalEvents());
  }

  /**
   * The exchange begins where the application subscribes: on its own thread for {@code subscribe()}, and on a
   * scheduler's thread only when the application itself moves the subscription there.
   */
  @Test
  void theExchangeBeginsWhereTheApplicationSubscribes() throws Exception {
    CompletableFuture<String> body = new CompletableFuture<>();
    Thread app = new Thread(() -> post(HookTestServer.PLAIN, AbstractHookTest.REQUEST_JSON).bodyToMono(String.class)
        .subscribe(body::complete, body::completeExceptionally), "app-subscriber");
    app.start();
    assertEquals(new String(HookTestServer.JSON, StandardCharsets.UTF_8), body.get(20, TimeUnit.SECONDS));
    assertEquals(List.of("app-subscriber"), beginThreads);

    beginThreads.clear();
    post(HookTestServer.PLAIN, AbstractHookTest.REQUEST_JSON).bodyToMono(String.class)
        .subscribeOn(Schedulers.newSingle("app-scheduler")).block(Duration.ofSeconds(20));
    assertEquals(1, beginThreads.size());
    assertTrue(beginThreads.get(0).startsWith("app-scheduler"), beginThreads.toString());
    for (RecordedExchange e : exchanges.exchanges()) {
      assertEquals(Kind.RESPONSE_BODY_END, e.awaitEnd(10, TimeUnit.SECONDS), e.toString());
    }
  }
}
