package dev.llmotel.hook.reactornetty.v1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.Exchanges;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookTestServer;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * What the kit does not cover, on raw Reactor Netty (run against the newest and the oldest version): where the
 * exchange begins, pooled connections, calls made inside an LLM call, forms, responses nobody reads, cancels, and an
 * exchange that fails in every method.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ReactorNettyBehaviourTest {
  private HookTestServer server;
  private ConnectionProvider pool;
  private HttpClient http;
  private RecordingExchangeFactory exchanges;
  private final List<String> beginThreads = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  void start() throws Exception {
    WovenReactorNetty.install();
    server = new HookTestServer();
    pool = ConnectionProvider.builder("behaviour").maxConnections(1).build();
    http = HttpClient.create(pool).responseTimeout(Duration.ofSeconds(20));
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
    exchanges = new RecordingExchangeFactory().accepting(r -> !r.path().equals(HookTestServer.OTHER));
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

  private HttpClient.ResponseReceiver<?> post(HttpClient client, String path, byte[] body) {
    return client.headers(h -> h.set("Content-Type", "application/json")).post().uri(server.uri(path).toString())
        .send(Mono.fromCallable(() -> Unpooled.wrappedBuffer(body)));
  }

  private HttpClient.ResponseReceiver<?> post(HttpClient client, String url) {
    return client.headers(h -> h.set("Content-Type", "application/json")).post().uri(url)
        .send(Mono.fromCallable(() -> Unpooled.wrappedBuffer(AbstractHookTest.REQUEST_JSON)));
  }

  private String plain(HttpClient client, String path) {
    return post(client, path, AbstractHookTest.REQUEST_JSON).responseSingle((r, b) -> b.asString()).block();
  }

  @Test
  void theExchangeBeginsOnTheThreadThatSubscribes() throws Exception {
    CompletableFuture<String> body = new CompletableFuture<>();
    Thread app = new Thread(() -> post(http, HookTestServer.PLAIN, AbstractHookTest.REQUEST_JSON)
        .responseSingle((r, b) -> b.asString())
        .subscribe(body::complete, body::completeExceptionally), "app-subscriber");
    app.start();
    assertEquals(new String(HookTestServer.JSON, StandardCharsets.UTF_8), body.get(20, TimeUnit.SECONDS));
    assertEquals(List.of("app-subscriber"), beginThreads, "the parent span is the subscribing thread's");
    assertEquals(Kind.RESPONSE_BODY_END, exchanges.only().awaitEnd(10, TimeUnit.SECONDS));
  }

  /**
   * A path-only request to an address the application's own supplier gives (a balancer): the hook never calls the
   * supplier (only Reactor Netty does, as without the agent); the server is the configured Host header's, and
   * without one the request goes untraced. Reactor Netty's own supplier ({@code host}/{@code port}) names the server
   * as before.
   */
  @Test
  void theApplicationsAddressSupplierIsCalledOnlyByReactorNetty() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger byTheHook = new java.util.concurrent.atomic.AtomicInteger();
    int port = server.uri(HookTestServer.PLAIN).getPort();
    HttpClient balanced = http.remoteAddress(() -> {
      calls.incrementAndGet();
      for (StackTraceElement frame : new Throwable().getStackTrace()) {
        if (frame.getClassName().startsWith("dev.llmotel.hook.reactornetty.v1.helper.")) byTheHook.incrementAndGet();
      }
      return new java.net.InetSocketAddress("127.0.0.1", port);
    });
    String path = server.uri(HookTestServer.PLAIN).getRawPath();
    String expected = new String(HookTestServer.JSON, StandardCharsets.UTF_8);
    assertEquals(expected, post(balanced.headers(h -> h.set("Host", "llm.internal:" + port)), path)
        .responseSingle((r, b) -> b.asString()).block());
    assertEquals(0, byTheHook.get(), "calls of the supplier from the hook");
    assertEquals(Kind.RESPONSE_BODY_END, exchanges.only().awaitEnd(10, TimeUnit.SECONDS));
    assertEquals("llm.internal", exchanges.only().request().host());
    assertEquals(port, exchanges.only().request().port());

    assertEquals(expected, post(balanced, path).responseSingle((r, b) -> b.asString()).block());
    assertEquals(1, exchanges.exchanges().size(), "no Host header: not traced");
    assertTrue(calls.get() >= 2, "Reactor Netty called the supplier " + calls.get() + " times");
    assertEquals(0, byTheHook.get(), "calls of the supplier from the hook");

    assertEquals(expected, post(http.host("127.0.0.1").port(port), path).responseSingle((r, b) -> b.asString())
        .block());
    assertEquals(2, exchanges.exchanges().size());
    assertEquals("127.0.0.1", exchanges.exchanges().get(1).request().host());
  }

  @Test
  void aPooledConnectionCarriesNothingToTheNextRequest() throws Exception {
    List<Channel> channels = Collections.synchronizedList(new ArrayList<>());
    List<List<String>> pipelines = Collections.synchronizedList(new ArrayList<>());
    HttpClient watched = http.doOnRequest((request, connection) -> {
      channels.add(connection.channel());
      pipelines.add(connection.channel().pipeline().names());
    });
    byte[] second = "{\"model\":\"gpt-4o\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    plain(watched, HookTestServer.PLAIN);
    plain(watched, HookTestServer.OTHER);
    post(watched, HookTestServer.PLAIN, second).responseSingle((r, b) -> b.asString()).block();

    assertEquals(3, channels.size());
    assertTrue(channels.get(0) == channels.get(1) && channels.get(1) == channels.get(2), "one pooled connection");
    assertFalse(pipelines.get(1).contains("reactor.left.llmotelRequestTap"), "no tap on a request no dialect wanted: "
        + pipelines.get(1));
    List<HookTestServer.Received> received = server.received();
    assertEquals(List.of(RecordingExchangeFactory.TRACEPARENT), received.get(0).header("traceparent"));
    assertEquals(List.of(), received.get(1).header("traceparent"));
    assertEquals(List.of(RecordingExchangeFactory.TRACEPARENT), received.get(2).header("traceparent"));
    List<RecordedExchange> all = exchanges.exchanges();
    assertEquals(2, all.size());
    for (RecordedExchange e : all) assertEquals(Kind.RESPONSE_BODY_END, e.awaitEnd(10, TimeUnit.SECONDS));
    assertArrayEquals(AbstractHookTest.REQUEST_JSON, all.get(0).requestBody().bytes());
    assertArrayEquals(second, all.get(1).requestBody().bytes());
    assertArrayEquals(HookTestServer.JSON, all.get(1).responseBody().bytes());
  }

  /** A request sent while an LLM request is being written (its context is the LLM call's) is not part of it. */
  @Test
  void aCallMadeWhileWritingTheRequestIsNotTheLlmCall() throws Exception {
    String body = http.headers(h -> h.set("Content-Type", "application/json")).post()
        .uri(server.uri(HookTestServer.PLAIN).toString())
        .send((request, out) -> post(HttpClient.newConnection(), HookTestServer.OTHER, "{}".getBytes())
            .responseSingle((r, b) -> b.asString())
            .flatMap(other -> out.send(Mono.just(Unpooled.wrappedBuffer(AbstractHookTest.REQUEST_JSON))).then()))
        .responseSingle((r, b) -> b.asString())
        .block();
    assertEquals(new String(HookTestServer.JSON, StandardCharsets.UTF_8), body);
    HookTestServer.Received other = server.received().stream()
        .filter(r -> r.path.equals(HookTestServer.OTHER)).findFirst().orElseThrow();
    assertEquals(List.of(), other.header("traceparent"));
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(10, TimeUnit.SECONDS));
    assertArrayEquals(AbstractHookTest.REQUEST_JSON, exchange.requestBody().bytes(), "only the LLM request's body");
  }

  /** A multipart form goes out through Netty's chunked writer: the tap sits below it and sees the bytes sent. */
  @Test
  void aFormIsTeedAsWritten() throws Exception {
    String status = http.post().uri(server.uri(HookTestServer.PLAIN).toString())
        .sendForm((request, form) -> form.multipart(true)
            .attr("model", "gpt-4o-mini")
            .file("input", "input.json", new java.io.ByteArrayInputStream(AbstractHookTest.REQUEST_JSON),
                "application/json"))
        .responseSingle((r, b) -> b.asString().map(s -> String.valueOf(r.status().code())))
        .block();
    assertEquals("200", status);
    byte[] atServer = server.onlyRequest().body;
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(10, TimeUnit.SECONDS));
    assertTrue(atServer.length > AbstractHookTest.REQUEST_JSON.length, "a multipart body");
    assertArrayEquals(atServer, exchange.requestBody().bytes(), "the exchange saw the bytes the server got");
  }

  /** {@code response()} hands the application the head only; Reactor Netty drops the body, which ends the call. */
  @Test
  void aResponseWhoseBodyIsNeverReadEndsWhenTheClientDropsIt() throws Exception {
    int status = post(http, HookTestServer.PLAIN, AbstractHookTest.REQUEST_JSON).response()
        .map(r -> r.status().code()).block();
    assertEquals(200, status);
    RecordedExchange exchange = exchanges.only();
    Kind end = exchange.awaitEnd(10, TimeUnit.SECONDS);
    assertTrue(end == Kind.RESPONSE_BODY_CLOSED || end == Kind.RESPONSE_WITHOUT_BODY, exchange.toString());
    assertEquals(200, exchange.status());
    assertEquals(List.of(end), exchange.terminalEvents());
  }

  /**
   * The body subscribed to only after the whole response arrived, the way Spring's {@code RestClient} on
   * {@code ReactorClientHttpRequestFactory} reads it ({@code responseConnection(...).next()} blocked on, then
   * {@code connection.inbound().receive()} on the application's thread). Reactor Netty 1.1.24+ has then detached the
   * operations from their context; the exchange is still found, and sees the body.
   */
  @Test
  void aBodySubscribedToAfterTheWholeResponseArrivedIsSeen() throws Exception {
    Connection connection = post(http, HookTestServer.PLAIN, AbstractHookTest.REQUEST_JSON)
        .responseConnection((response, c) -> Mono.just(c)).next().block(Duration.ofSeconds(20));
    awaitTerminated(connection);
    String body = connection.inbound().receive().aggregate().asString().block(Duration.ofSeconds(20));
    assertEquals(new String(HookTestServer.JSON, StandardCharsets.UTF_8), body);
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
    assertArrayEquals(HookTestServer.JSON, exchange.responseBody().bytes());
  }

  /**
   * Two such responses on one pooled connection (the first released to the pool once it arrived, the second sent on
   * it before the first body was read): each exchange gets its own body.
   */
  @Test
  void lateBodiesOnAReusedConnectionGoToTheirOwnExchanges() throws Exception {
    byte[] second = "{\"model\":\"gpt-4o\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    Connection first = post(http, HookTestServer.PLAIN, AbstractHookTest.REQUEST_JSON)
        .responseConnection((response, c) -> Mono.just(c)).next().block(Duration.ofSeconds(20));
    awaitTerminated(first);
    // the one-connection pool hands the connection on once Reactor Netty has released it, which on some versions and
    // under load waits for the unread body: then there is no reused connection to test (the case is not run)
    Connection next;
    try {
      next = post(http, HookTestServer.ERROR, second)
          .responseConnection((response, c) -> Mono.just(c)).next().block(Duration.ofSeconds(5));
    } catch (IllegalStateException notHandedOn) {
      first.dispose();
      org.junit.jupiter.api.Assumptions.abort("the pool kept the connection until its body was read: " + notHandedOn);
      return;
    }
    awaitTerminated(next);
    assertEquals(new String(HookTestServer.ERROR_JSON, StandardCharsets.UTF_8),
        next.inbound().receive().aggregate().asString().block(Duration.ofSeconds(20)));
    assertEquals(new String(HookTestServer.JSON, StandardCharsets.UTF_8),
        first.inbound().receive().aggregate().asString().block(Duration.ofSeconds(20)));
    List<RecordedExchange> all = exchanges.exchanges();
    assertEquals(2, all.size());
    for (RecordedExchange e : all) assertEquals(Kind.RESPONSE_BODY_END, e.awaitEnd(10, TimeUnit.SECONDS), e.toString());
    assertArrayEquals(HookTestServer.JSON, all.get(0).responseBody().bytes());
    assertEquals(429, all.get(1).status());
    assertArrayEquals(HookTestServer.ERROR_JSON, all.get(1).responseBody().bytes());
  }

  /**
   * A stream still open when the application shuts its client's event loops down (as Spring's
   * {@code ReactorResourceFactory} does when the application context closes, maybe while a cancel is still held up
   * by an operator): the connection closes under the body and the application's subscriber gets an error; the call
   * ends as abandoned, as a stream the application closed, not as failed.
   */
  @Test
  void aStreamOpenWhenTheApplicationShutsItsClientDownIsAbandoned() throws Exception {
    LoopResources loops = LoopResources.create("app-loops", 1, true);
    HttpClient client = HttpClient.create(ConnectionProvider.newConnection()).runOn(loops);
    CountDownLatch firstPiece = new CountDownLatch(1);
    CompletableFuture<String> appSaw = new CompletableFuture<>();
    post(client, HookTestServer.STREAM, AbstractHookTest.STREAM_REQUEST_JSON).responseContent().asByteArray()
        .subscribe(piece -> firstPiece.countDown(), e -> appSaw.complete("error"), () -> appSaw.complete("complete"));
    assertTrue(firstPiece.await(10, TimeUnit.SECONDS));
    loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    assertEquals("error", signalAfterShutdown(appSaw), "the application's stream breaks");
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_CLOSED, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
    assertTrue(exchange.responseBody().bytes().length < HookTestServer.SSE.length, "before the server's last event");
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), exchange.terminalEvents());
  }

  /**
   * What the application's subscriber got once its client's event loops were shut down. Now and then (about 1 in 100
   * on two busy cores) Netty's loop stops without closing the connection, so Reactor Netty signals nothing: the
   * application's stream never ends, with or without the agent, and neither does the exchange, whose outcome this
   * test is about. The test is then skipped, saying so.
   */
  static String signalAfterShutdown(CompletableFuture<String> appSaw) throws Exception {
    try {
      return appSaw.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      org.junit.jupiter.api.Assumptions.abort("the event loop stopped without closing the connection: Reactor Netty "
          + "never signalled the application (a race of Netty's, also without the agent)");
      return null;
    }
  }

  /** A connection the server breaks mid-body is still a failure while the application's client runs. */
  @Test
  void aStreamTheServerBreaksFails() throws Exception {
    Throwable appError = null;
    try {
      post(http, HookTestServer.BROKEN, AbstractHookTest.REQUEST_JSON).responseContent().aggregate().asByteArray()
          .block(Duration.ofSeconds(20));
    } catch (RuntimeException e) {
      appError = e;
    }
    assertTrue(appError != null, "the application sees the break");
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.FAILED, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
  }

  /** Waits until Reactor Netty is done with the response (its last content arrived), as a slow reader would. */
  private static void awaitTerminated(Connection connection) throws InterruptedException {
    ChannelOperations<?, ?> ops = (ChannelOperations<?, ?>) connection;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!ops.isSubscriptionDisposed() && System.nanoTime() < deadline) Thread.sleep(5);
    assertTrue(ops.isSubscriptionDisposed(), "the response never completed");
  }

  /** The application disposes of the connection with the stream unread: the call ends, abandoned. */
  @Test
  void aConnectionDisposedOfUnreadIsAbandoned() throws Exception {
    int status = post(http, HookTestServer.STREAM, AbstractHookTest.STREAM_REQUEST_JSON)
        .responseConnection((response, connection) -> {
          connection.dispose();
          return Mono.just(response.status().code());
        }).blockLast();
    assertEquals(200, status);
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_CLOSED, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), exchange.terminalEvents());
  }

  @Test
  void cancelledBeforeTheResponseIsAbandoned() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CountDownLatch requestArrived = new CountDownLatch(1);
      Thread acceptor = new Thread(() -> {
        try (Socket s = silent.accept(); InputStream in = s.getInputStream()) {
          if (in.read() >= 0) requestArrived.countDown();
          Thread.sleep(5_000);
        } catch (Exception ignored) {
          // the client went away
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Disposable call = http.post().uri("http://127.0.0.1:" + silent.getLocalPort() + HookTestServer.PLAIN)
          .send(Mono.fromCallable(() -> Unpooled.wrappedBuffer(AbstractHookTest.REQUEST_JSON)))
          .responseSingle((r, b) -> b.asString()).subscribe();
      assertTrue(requestArrived.await(10, TimeUnit.SECONDS));
      call.dispose();
      RecordedExchange exchange = exchanges.only();
      assertEquals(Kind.RESPONSE_BODY_CLOSED, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
      assertEquals(-1, exchange.status());
    }
  }

  /**
   * A redirect the client follows is one application call: one exchange, the request body once, the final response;
   * each request the client sends carries the trace context.
   */
  @Test
  void aFollowedRedirectIsOneExchange() throws Exception {
    HttpServer redirecting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    List<String> redirectTraceparents = Collections.synchronizedList(new ArrayList<>());
    redirecting.createContext("/v1/chat/completions", ex -> {
      ex.getRequestBody().readAllBytes();
      String tp = ex.getRequestHeaders().getFirst("traceparent");
      redirectTraceparents.add(tp == null ? "none" : tp);
      ex.getResponseHeaders().set("Location", server.uri(HookTestServer.PLAIN).toString());
      ex.sendResponseHeaders(307, -1);
      ex.close();
    });
    redirecting.start();
    try {
      String body = post(http.followRedirect(true),
          "http://127.0.0.1:" + redirecting.getAddress().getPort() + HookTestServer.PLAIN)
          .responseSingle((r, b) -> b.asString()).block();
      assertEquals(new String(HookTestServer.JSON, StandardCharsets.UTF_8), body);
    } finally {
      redirecting.stop(0);
    }
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
    assertEquals(200, exchange.status());
    assertArrayEquals(AbstractHookTest.REQUEST_JSON, exchange.requestBody().bytes(), "the request body once");
    assertArrayEquals(HookTestServer.JSON, exchange.responseBody().bytes());
    assertEquals(List.of(RecordingExchangeFactory.TRACEPARENT), redirectTraceparents);
    HookTestServer.Received atServer = server.onlyRequest();
    assertEquals(List.of(RecordingExchangeFactory.TRACEPARENT), atServer.header("traceparent"));
    assertArrayEquals(AbstractHookTest.REQUEST_JSON, atServer.body, "307: the client sends the body again");
  }

  @Test
  void anExchangeThatThrowsEverywhereChangesNothing() throws Exception {
    Exchanges.install(request -> new ThrowingExchange());
    assertEquals(new String(HookTestServer.JSON, StandardCharsets.UTF_8), plain(http, HookTestServer.PLAIN));
    String stream = post(http, HookTestServer.STREAM, AbstractHookTest.STREAM_REQUEST_JSON)
        .response((r, content) -> {
          server.releaseStream();
          return content.aggregate().asString();
        }).blockLast();
    assertEquals(new String(HookTestServer.SSE, StandardCharsets.UTF_8), stream);
    for (HookTestServer.Received r : server.received()) {
      assertArrayEquals(r.path.equals(HookTestServer.STREAM) ? AbstractHookTest.STREAM_REQUEST_JSON
          : AbstractHookTest.REQUEST_JSON, r.body);
      assertEquals(List.of(), r.header("traceparent"));
    }
  }

  /** Every method throws; a hook must never let that reach the application. */
  static final class ThrowingExchange implements Exchange {
    @Override public Map<String, String> propagationHeaders() { throw new IllegalStateException("boom"); }
    @Override public void requestBody(byte[] bytes, int offset, int length) { throw new IllegalStateException(); }
    @Override public void requestBodyEnd() { throw new IllegalStateException(); }
    @Override public void response(int statusCode, HeaderLookup headers) { throw new IllegalStateException(); }
    @Override public void responseBody(byte[] bytes, int offset, int length) { throw new IllegalStateException(); }
    @Override public void responseBody(ByteBuffer buffer) { throw new IllegalStateException(); }
    @Override public void responseBodyEnd() { throw new IllegalStateException(); }
    @Override public void responseBodyClosed() { throw new IllegalStateException(); }
    @Override public void responseWithoutBody() { throw new IllegalStateException(); }
    @Override public void failed(Throwable error) { throw new IllegalStateException(); }
  }
}
