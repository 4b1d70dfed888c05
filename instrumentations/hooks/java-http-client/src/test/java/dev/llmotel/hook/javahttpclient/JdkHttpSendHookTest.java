package dev.llmotel.hook.javahttpclient;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Nested;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.Exchanges;
import dev.llmotel.exchange.HeaderLookup;
import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drives {@link JdkHttpSendHook} the way the inlined advice does, around real {@code HttpClient} calls against a local
 * server: enter (which may replace request and handler), the real send/sendAsync, exit.
 */
class JdkHttpSendHookTest {
  static final String OUR_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  static final String APP_TRACEPARENT = "00-11111111111111111111111111111111-2222222222222222-01";
  static final String REQUEST_JSON = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi \u00e9\"}]}";

  enum Mode { SEND, SEND_ASYNC }

  static LlmTestServer server;
  static HttpClient client;

  final JdkHttpSendHook hook = new JdkHttpSendHook();
  final List<RecordingExchange> exchanges = new CopyOnWriteArrayList<>();
  Map<String, String> propagation = Collections.singletonMap("traceparent", OUR_TRACEPARENT);

  @BeforeAll
  static void start() throws Exception {
    server = new LlmTestServer();
    client = HttpClient.newHttpClient(); // the default configuration (HTTP/2 preferred, h2c upgrade attempt)
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  void recordEveryRequest() {
    Exchanges.install(request -> {
      RecordingExchange e = new RecordingExchange(request, propagation);
      exchanges.add(e);
      return e;
    });
  }

  @AfterEach
  void uninstall() {
    Exchanges.install(null);
  }

  /** enter → real client call → exit, as the advice does (SEND: exit sees the thrown exception; ASYNC: the future). */
  @SuppressWarnings("unchecked")
  <T> HttpResponse<T> call(Mode mode, HttpRequest request, BodyHandler<T> handler) throws Exception {
    Object[] args = {request, handler};
    Object token = hook.enter(client, args);
    if (mode == Mode.SEND_ASYNC) {
      CompletableFuture<HttpResponse<T>> future;
      try {
        future = client.sendAsync((HttpRequest) args[0], (BodyHandler<T>) args[1]);
      } catch (Throwable t) {
        hook.exit(token, null, t);
        throw t;
      }
      hook.exit(token, future, null);
      return future.get(20, TimeUnit.SECONDS);
    }
    try {
      HttpResponse<T> response = client.send((HttpRequest) args[0], (BodyHandler<T>) args[1]);
      hook.exit(token, null, null);
      return response;
    } catch (Throwable t) {
      hook.exit(token, null, t);
      throw t;
    }
  }

  HttpRequest post(String path) {
    return HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(REQUEST_JSON)).build();
  }

  RecordingExchange onlyExchange() {
    assertEquals(1, exchanges.size());
    return exchanges.get(0);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void largeBodyOfByteArrayIsByteIdentical(Mode mode) throws Exception {
    recordEveryRequest();
    HttpResponse<byte[]> response = call(mode, post("/v1/large"), BodyHandlers.ofByteArray());

    assertArrayEquals(LlmTestServer.LARGE, response.body());
    RecordingExchange e = onlyExchange();
    assertEquals("end", last(e.awaitEnd()));
    assertArrayEquals(LlmTestServer.LARGE, e.responseBytes());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void sseOfLinesStreamsThroughAndIsObserved(Mode mode) throws Exception {
    recordEveryRequest();
    CountDownLatch gate = new CountDownLatch(1);
    server.sseGate = gate;
    HttpResponse<Stream<String>> response = call(mode, post("/v1/stream"), BodyHandlers.ofLines());
    List<String> lines = new java.util.ArrayList<>();
    long gatedAt = -1;
    try (Stream<String> stream = response.body()) {
      for (java.util.Iterator<String> it = stream.iterator(); it.hasNext(); ) {
        lines.add(it.next());
        // The server holds its last event until the app has seen the first one: the tee must not buffer.
        if (gate.getCount() > 0) {
          gatedAt = System.nanoTime();
          gate.countDown();
        }
      }
    }
    assertTrue(gatedAt > 0);
    assertEquals(new String(LlmTestServer.SSE, StandardCharsets.UTF_8).lines().collect(Collectors.toList()), lines);
    RecordingExchange e = onlyExchange();
    assertEquals(Arrays.asList("requestBodyEnd", "response 200 text/event-stream", "end"), e.awaitEnd());
    assertArrayEquals(LlmTestServer.SSE, e.responseBytes());
  }

  @Test
  void stoppingAnOfLinesStreamIsReportedAsClosed() throws Exception {
    recordEveryRequest();
    CountDownLatch gate = new CountDownLatch(1);
    server.sseGate = gate;
    HttpResponse<Stream<String>> response = call(Mode.SEND, post("/v1/stream"), BodyHandlers.ofLines());
    try (Stream<String> lines = response.body()) {
      assertTrue(lines.iterator().next().startsWith("data: {"));
    } finally {
      gate.countDown();
    }
    assertEquals(Arrays.asList("requestBodyEnd", "response 200 text/event-stream", "closed"),
        onlyExchange().awaitEnd());
  }

  @Test
  void theAppsOwnTraceparentIsKept() throws Exception {
    recordEveryRequest();
    HttpRequest request = HttpRequest.newBuilder(server.uri("/v1/chat/completions"))
        .header("traceparent", APP_TRACEPARENT).POST(BodyPublishers.ofString(REQUEST_JSON)).build();
    Object[] args = {request, BodyHandlers.ofString()};
    assertNotNull(hook.enter(client, args));
    assertSame(request, args[0], "nothing to add, so the app's request object is sent");

    call(Mode.SEND, request, BodyHandlers.ofString());
    assertEquals(Collections.singletonList(APP_TRACEPARENT), server.lastTraceparents);
  }

  @Test
  void noPropagationHeadersLeaveTheRequestObjectAlone() throws Exception {
    propagation = Collections.emptyMap();
    recordEveryRequest();
    HttpRequest request = post("/v1/chat/completions");
    Object[] args = {request, BodyHandlers.ofString()};
    assertNotNull(hook.enter(client, args));
    assertSame(request, args[0]);
    call(Mode.SEND, post("/v1/chat/completions"), BodyHandlers.ofString());
    assertEquals(Collections.emptyList(), server.lastTraceparents);
  }

  @Test
  void ofInputStreamRequestBodyIsSeenAsTheClientSendsItAndOpenedOnlyByIt() throws Exception {
    recordEveryRequest();
    byte[] payload = REQUEST_JSON.getBytes(StandardCharsets.UTF_8);
    AtomicInteger opened = new AtomicInteger();
    HttpRequest.BodyPublisher publisher = BodyPublishers.ofInputStream(() -> {
      opened.incrementAndGet();
      return new ByteArrayInputStream(payload);
    });
    HttpRequest request = HttpRequest.newBuilder(server.uri("/v1/chat/completions")).POST(publisher).build();
    Object[] args = {request, BodyHandlers.ofString()};
    Object token = hook.enter(client, args);

    assertNotNull(token);
    assertEquals(publisher.contentLength(), ((HttpRequest) args[0]).bodyPublisher().get().contentLength());
    assertEquals(0, opened.get(), "the hook never opened the app's stream");
    HttpResponse<?> response = client.send((HttpRequest) args[0], (BodyHandler<?>) args[1]);
    hook.exit(token, null, null);

    assertEquals(1, opened.get(), "the client alone read it, once");
    assertArrayEquals(payload, server.lastRequestBody);
    assertEquals(200, response.statusCode());
    RecordingExchange e = onlyExchange();
    assertArrayEquals(payload, e.requestBytes());
    assertEquals(Arrays.asList("requestBodyEnd", "response 200 application/json", "end"), e.awaitEnd());
  }

  /** Spring's JDK request factory and WebClient's JDK connector send bodies as {@code fromPublisher}, sized or not. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void fromPublisherRequestBodyIsSeenAsTheClientSendsIt(boolean sized) throws Exception {
    recordEveryRequest();
    byte[] payload = REQUEST_JSON.getBytes(StandardCharsets.UTF_8);
    java.util.concurrent.SubmissionPublisher<java.nio.ByteBuffer> source =
        new java.util.concurrent.SubmissionPublisher<>();
    HttpRequest.BodyPublisher publisher = sized ? BodyPublishers.fromPublisher(source, payload.length)
        : BodyPublishers.fromPublisher(source);
    HttpRequest request = HttpRequest.newBuilder(server.uri("/v1/chat/completions")).POST(publisher).build();
    Object[] args = {request, BodyHandlers.ofString()};
    Object token = hook.enter(client, args);
    assertNotNull(token);
    java.util.concurrent.CompletableFuture<? extends HttpResponse<?>> future =
        client.sendAsync((HttpRequest) args[0], (BodyHandler<?>) args[1]);
    hook.exit(token, future, null);
    while (source.getNumberOfSubscribers() == 0 && !future.isDone()) Thread.sleep(5);
    int half = payload.length / 2;
    source.submit(java.nio.ByteBuffer.wrap(payload, 0, half));
    source.submit(java.nio.ByteBuffer.wrap(payload, half, payload.length - half));
    source.close();
    HttpResponse<?> response = future.get(10, java.util.concurrent.TimeUnit.SECONDS);

    assertEquals(200, response.statusCode());
    assertArrayEquals(payload, server.lastRequestBody);
    RecordingExchange e = onlyExchange();
    assertArrayEquals(payload, e.requestBytes());
    assertEquals("requestBodyEnd", e.awaitEnd().get(0));
  }

  @Test
  void ofByteArrayRequestBodyIsCaptured() throws Exception {
    recordEveryRequest();
    byte[] buffer = ("xx" + REQUEST_JSON + "yy").getBytes(StandardCharsets.UTF_8);
    int length = buffer.length - 4;
    HttpRequest request = HttpRequest.newBuilder(server.uri("/v1/chat/completions"))
        .POST(BodyPublishers.ofByteArray(buffer, 2, length)).build();
    call(Mode.SEND, request, BodyHandlers.ofString());

    byte[] expected = Arrays.copyOfRange(buffer, 2, 2 + length);
    assertArrayEquals(expected, onlyExchange().requestBytes());
    assertArrayEquals(expected, server.lastRequestBody);
  }

  /**
   * An in-memory body past {@link RequestBodyCopy#MAX_COPIED_BYTES} is seen as the client sends it (the JDK's
   * publisher copies the whole body on each subscription: no second copy on the application's thread), byte-identical.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aLargeInMemoryBodyIsSeenAsTheClientSendsIt(Mode mode) throws Exception {
    recordEveryRequest();
    byte[] body = new byte[(int) RequestBodyCopy.MAX_COPIED_BYTES * 4 + 3];
    for (int i = 0; i < body.length; i++) body[i] = (byte) ('a' + i % 26);
    HttpRequest request = HttpRequest.newBuilder(server.uri("/v1/chat/completions"))
        .POST(BodyPublishers.ofByteArray(body)).build();
    Object[] args = {request, BodyHandlers.ofString()};
    Object token = hook.enter(client, args);
    assertEquals(TeeBodyPublisher.class, ((HttpRequest) args[0]).bodyPublisher().get().getClass());
    hook.exit(token, null, null);
    exchanges.clear();

    call(mode, request, BodyHandlers.ofString());
    assertArrayEquals(body, server.lastRequestBody);
    assertArrayEquals(body, exchanges.get(exchanges.size() - 1).requestBytes());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectionRefusedFailsTheExchangeWithTheAppsExceptionClass(Mode mode) throws Exception {
    recordEveryRequest();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/v1/chat/completions"))
        .POST(BodyPublishers.ofString(REQUEST_JSON)).build();

    Exception appSaw = assertThrows(Exception.class, () -> call(mode, request, BodyHandlers.ofString()));
    Throwable appError = appSaw instanceof ExecutionException ? appSaw.getCause() : appSaw;

    assertTrue(appError instanceof ConnectException, String.valueOf(appError));
    RecordingExchange e = onlyExchange();
    assertEquals("failed", last(e.awaitEnd()));
    assertEquals(appError.getClass(), e.failure.getClass());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void nonLlmRequestIsLeftExactlyAsItWas(Mode mode) throws Exception {
    Exchanges.install(request -> null);
    HttpRequest request = post("/v1/chat/completions");
    BodyHandler<String> handler = BodyHandlers.ofString();
    Object[] args = {request, handler};

    assertNull(hook.enter(client, args));
    assertSame(request, args[0]);
    assertSame(handler, args[1]);
    assertEquals(new String(LlmTestServer.JSON, StandardCharsets.UTF_8), call(mode, request, handler).body());
    assertEquals(Collections.emptyList(), server.lastTraceparents);
  }

  @Test
  void noFactoryInstalledMeansNoToken() {
    Object[] args = {post("/v1/chat/completions"), BodyHandlers.ofString()};
    Object[] before = args.clone();
    assertNull(hook.enter(client, args));
    assertArrayEquals(before, args);
    hook.exit(null, null, null);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anExchangeThatThrowsEverywhereChangesNothingForTheApp(Mode mode) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Exchanges.install(request -> new ThrowingExchange(calls));

    HttpResponse<byte[]> response = call(mode, post("/v1/large"), BodyHandlers.ofByteArray());
    assertArrayEquals(LlmTestServer.LARGE, response.body());
    HttpResponse<String> json = call(mode, post("/v1/chat/completions"), BodyHandlers.ofString());
    assertEquals(new String(LlmTestServer.JSON, StandardCharsets.UTF_8), json.body());
    assertTrue(calls.get() > 4, "the exchange was called (and threw) " + calls.get() + " times");
  }

  @Test
  void anAppHandlerThatThrowsStillFailsTheAppAndEndsTheExchange() throws Exception {
    recordEveryRequest();
    IllegalStateException boom = new IllegalStateException("app handler");
    BodyHandler<String> handler = info -> {
      throw boom;
    };
    Exception appSaw = assertThrows(Exception.class, () -> call(Mode.SEND_ASYNC, post("/v1/chat/completions"), handler));
    assertSame(boom, appSaw.getCause());
    RecordingExchange e = onlyExchange();
    assertEquals("failed", last(e.awaitEnd()));
    assertSame(boom, e.failure);
  }

  @Test
  void exitNeverThrowsAndReportsAThrownException() {
    RecordingExchange e = new RecordingExchange(JdkHttpSendHook.describe(post("/x")), Collections.emptyMap());
    GuardedExchange token = new GuardedExchange(e);
    IllegalArgumentException thrown = new IllegalArgumentException("unsupported");
    hook.exit(token, null, thrown);
    hook.exit(token, "not a future", null);
    hook.exit("not a token", null, null);
    assertSame(thrown, e.failure);
    assertEquals(Collections.singletonList("failed"), e.events());
  }

  @Test
  void theAppsFutureIsReturnedAsIsAndCancellationIsAFailure() throws Exception {
    RecordingExchange e = new RecordingExchange(JdkHttpSendHook.describe(post("/x")), Collections.emptyMap());
    CompletableFuture<HttpResponse<String>> future = new CompletableFuture<>();
    hook.exit(new GuardedExchange(e), future, null);
    assertFalse(future.isDone());
    future.cancel(true);
    assertEquals("failed", last(e.awaitEnd()));
    assertEquals(java.util.concurrent.CancellationException.class, e.failure.getClass());
  }

  private static String last(List<String> events) {
    assertFalse(events.isEmpty());
    return events.get(events.size() - 1);
  }

  /** Every method throws. */
  static final class ThrowingExchange implements Exchange {
    private final AtomicInteger calls;

    ThrowingExchange(AtomicInteger calls) {
      this.calls = calls;
    }

    private RuntimeException boom() {
      calls.incrementAndGet();
      return new IllegalStateException("exchange bug");
    }

    @Override public Map<String, String> propagationHeaders() { throw boom(); }
    @Override public void requestBody(byte[] b, int o, int l) { throw boom(); }
    @Override public void requestBodyEnd() { throw boom(); }
    @Override public void response(int s, HeaderLookup h) { throw boom(); }
    @Override public void responseBody(byte[] b, int o, int l) { throw boom(); }
    @Override public void responseBodyEnd() { throw boom(); }
    @Override public void responseBodyClosed() { throw boom(); }
    @Override public void responseWithoutBody() { throw boom(); }
    @Override public void failed(Throwable t) { throw boom(); }
  }

  /**
   * Every body handler of {@code java.net.http.HttpResponse.BodyHandlers}, with {@code send} and {@code sendAsync}, on
   * an SSE response: the application gets exactly the server's bytes, the exchange sees exactly those bytes and ends
   * once, at the end of the body.
   */
  @Nested
  class EveryBodyHandler {
    @TempDir
    Path dir;

    enum Handler {
      OF_STRING, OF_BYTE_ARRAY, OF_INPUT_STREAM, OF_LINES, OF_PUBLISHER, OF_BYTE_ARRAY_CONSUMER, OF_FILE, BUFFERING,
      FROM_SUBSCRIBER
    }

    /** Sends with {@code handler} and returns what the application got, as bytes. */
    private byte[] receive(Mode mode, Handler handler) throws Exception {
      switch (handler) {
        case OF_STRING:
          return call(mode, post("/v1/stream"), BodyHandlers.ofString()).body().getBytes(StandardCharsets.UTF_8);
        case OF_BYTE_ARRAY:
          return call(mode, post("/v1/stream"), BodyHandlers.ofByteArray()).body();
        case OF_INPUT_STREAM:
          return call(mode, post("/v1/stream"), BodyHandlers.ofInputStream()).body().readAllBytes();
        case OF_LINES: {
          try (Stream<String> lines = call(mode, post("/v1/stream"), BodyHandlers.ofLines()).body()) {
            List<String> all = lines.collect(Collectors.toList());
            return (String.join("\n", all) + "\n").getBytes(StandardCharsets.UTF_8);
          }
        }
        case OF_PUBLISHER: {
          HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = call(mode, post("/v1/stream"),
              BodyHandlers.ofPublisher());
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          CompletableFuture<Void> done = new CompletableFuture<>();
          response.body().subscribe(new Flow.Subscriber<List<ByteBuffer>>() {
            @Override public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
            @Override public void onNext(List<ByteBuffer> item) {
              for (ByteBuffer b : item) {
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
              }
            }
            @Override public void onError(Throwable t) { done.completeExceptionally(t); }
            @Override public void onComplete() { done.complete(null); }
          });
          done.get(10, TimeUnit.SECONDS);
          return out.toByteArray();
        }
        case OF_BYTE_ARRAY_CONSUMER: {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          call(mode, post("/v1/stream"), BodyHandlers.ofByteArrayConsumer((Optional<byte[]> chunk) ->
              chunk.ifPresent(b -> out.write(b, 0, b.length))));
          return out.toByteArray();
        }
        case OF_FILE: {
          Path file = dir.resolve("body-" + mode + ".txt");
          return Files.readAllBytes(call(mode, post("/v1/stream"), BodyHandlers.ofFile(file)).body());
        }
        case BUFFERING:
          return call(mode, post("/v1/stream"), BodyHandlers.buffering(BodyHandlers.ofByteArray(), 7)).body();
        case FROM_SUBSCRIBER: {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          BodyHandler<Void> h = BodyHandlers.fromSubscriber(new Flow.Subscriber<List<ByteBuffer>>() {
            @Override public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
            @Override public void onNext(List<ByteBuffer> item) {
              for (ByteBuffer b : item) {
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
              }
            }
            @Override public void onError(Throwable t) { }
            @Override public void onComplete() { }
          });
          call(mode, post("/v1/stream"), h);
          return out.toByteArray();
        }
        default:
          throw new AssertionError(handler);
      }
    }

    @ParameterizedTest(name = "{0} {1}")
    @EnumSource(Handler.class)
    void everyHandlerSeesTheWholeStreamOnceAndTheAppGetsItUnchanged(Handler handler) throws Exception {
      for (Mode mode : Mode.values()) {
        exchanges.clear();
        recordEveryRequest();
        byte[] appGot = receive(mode, handler);
        assertArrayEquals(LlmTestServer.SSE, appGot, mode + ": the app's bytes");
        RecordingExchange e = onlyExchange();
        List<String> events = e.awaitEnd();
        assertEquals("end", events.get(events.size() - 1), mode + ": " + events);
        assertEquals(1, events.stream().filter(x -> x.equals("end") || x.equals("closed") || x.equals("failed")
            || x.equals("noBody")).count(), mode + ": ends once: " + events);
        assertArrayEquals(LlmTestServer.SSE, e.responseBytes(), mode + ": the exchange's bytes");
        uninstall();
      }
    }
  }
}
