package dev.llmotel.hook.vertx.v4;

import static dev.llmotel.testkit.hook.AbstractHookTest.REQUEST_JSON;
import static dev.llmotel.testkit.hook.AbstractHookTest.STREAM_REQUEST_JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.hook.HookTestServer;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What the kit does not ask but Vert.x applications do, against the woven client: a paused response is seen only as
 * the application fetches it; closing the connection mid-stream is an abandonment; Vert.x's own idle timeout is a
 * failure; the request's headers object is the application's and the trace context is added to it once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class VertxFlowTest {
  private HookTestServer server;
  private Vertx vertx;
  private Context context;
  private HttpClient http;
  private RecordingExchangeFactory exchanges;

  @BeforeAll
  void start() throws Exception {
    WovenVertx.weave();
    server = new HookTestServer();
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    http = vertx.createHttpClient();
  }

  @AfterAll
  void stop() throws Exception {
    await(http.close());
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
  void uninstall() {
    server.releaseStream();
    RecordingExchangeFactory.uninstall();
  }

  /** Paused on arrival: the exchange sees nothing of the body until the application fetches it. */
  @Test
  void pausedResponseIsSeenAsTheApplicationFetchesIt() throws Exception {
    server.releaseStream();
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    HttpClientResponse response = await(() -> post(HookTestServer.STREAM, STREAM_REQUEST_JSON).map(r -> {
      r.pause();
      r.handler(chunk -> read.writeBytes(chunk.getBytes()));
      r.endHandler(v -> ended.complete(null));
      return r;
    }));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!server.streamFinished() && System.nanoTime() < deadline) Thread.sleep(10);
    assertTrue(server.streamFinished(), "the server sent its whole stream");
    Thread.sleep(200);
    RecordedExchange exchange = exchanges.only();
    assertEquals(0, exchange.responseBody().count(), "nothing delivered, nothing seen");
    assertFalse(exchange.hasEnded(), exchange.toString());

    context.runOnContext(v -> response.resume());
    ended.get(10, TimeUnit.SECONDS);
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(10, TimeUnit.SECONDS));
    assertArrayEquals(HookTestServer.SSE, read.toByteArray());
    assertArrayEquals(HookTestServer.SSE, exchange.responseBody().bytes());
  }

  /** The application closes the connection after the first chunk: abandoned, with what it had been given. */
  @Test
  void connectionClosedByTheApplicationIsAbandoned() throws Exception {
    CompletableFuture<Buffer> first = new CompletableFuture<>();
    HttpClientResponse response = await(() -> post(HookTestServer.STREAM, STREAM_REQUEST_JSON).map(r -> {
      r.handler(first::complete);
      r.exceptionHandler(t -> { });
      return r;
    }));
    Buffer chunk = first.get(10, TimeUnit.SECONDS);
    await(() -> response.request().connection().close());
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_CLOSED, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
    assertFalse(server.streamFinished());
    byte[] seen = exchange.responseBody().bytes();
    assertTrue(seen.length >= chunk.length() && seen.length < HookTestServer.SSE.length, "saw " + seen.length);
    assertArrayEquals(Arrays.copyOf(HookTestServer.SSE, seen.length), seen);
  }

  /**
   * A server that takes the request and never answers: Vert.x's idle timeout resets the stream itself. That is a
   * failure with the application's own exception, not an abandonment.
   */
  @Test
  void idleTimeoutIsAFailure() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try (Socket socket = silent.accept()) {
          socket.getInputStream().read(new byte[4096]);
          Thread.sleep(10_000);
        } catch (Exception ignored) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
          .setAbsoluteURI("http://127.0.0.1:" + silent.getLocalPort() + HookTestServer.PLAIN).setIdleTimeout(300);
      Exception appError = null;
      try {
        await(() -> http.request(options).compose(r -> r.send(Buffer.buffer(REQUEST_JSON))));
      } catch (Exception e) {
        appError = e;
      }
      assertNotNull(appError, "the application got the timeout");
      RecordedExchange exchange = exchanges.only();
      assertEquals(Kind.FAILED, exchange.awaitEnd(10, TimeUnit.SECONDS), exchange.toString());
      assertEquals(appError.getClass(), exchange.failure().getClass());
      acceptor.interrupt();
    }
  }

  /** The trace context goes into the application's own headers once, before the head; a request sent once. */
  @Test
  void traceContextAddedOnceToTheRequestHeaders() throws Exception {
    AtomicReference<String> seenByApp = new AtomicReference<>();
    byte[] body = await(() -> http.request(options(HookTestServer.PLAIN)).compose(r -> {
      Future<HttpClientResponse> sent = r.send(Buffer.buffer(REQUEST_JSON));
      seenByApp.set(r.headers().get("traceparent"));
      return sent;
    }).compose(HttpClientResponse::body)).getBytes();
    assertArrayEquals(HookTestServer.JSON, body);
    assertEquals(RecordingExchangeFactory.TRACEPARENT, seenByApp.get());
    assertEquals(java.util.List.of(RecordingExchangeFactory.TRACEPARENT), server.onlyRequest().header("traceparent"));
    assertEquals(Kind.RESPONSE_BODY_END, exchanges.only().awaitEnd(10, TimeUnit.SECONDS));
  }

  private RequestOptions options(String path) {
    return new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(server.uri(path).toString())
        .putHeader("Content-Type", "application/json");
  }

  private Future<HttpClientResponse> post(String path, byte[] body) {
    return http.request(options(path)).compose(r -> r.send(Buffer.buffer(body)));
  }

  /** Starts the calls on the application's context (callbacks in order on its event loop), waits for the result. */
  private <T> T await(Supplier<Future<T>> calls) throws Exception {
    CompletableFuture<Future<T>> started = new CompletableFuture<>();
    context.runOnContext(v -> started.complete(calls.get()));
    return await(started.get(10, TimeUnit.SECONDS));
  }

  static <T> T await(Future<T> future) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    future.onComplete(ar -> {
      if (ar.succeeded()) result.complete(ar.result());
      else result.completeExceptionally(ar.cause());
    });
    try {
      return result.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}
