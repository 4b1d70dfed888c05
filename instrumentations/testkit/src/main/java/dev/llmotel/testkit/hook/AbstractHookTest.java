package dev.llmotel.testkit.hook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.testkit.hook.HookClient.HookResponse;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every hook passes. A subclass supplies a {@link HookClient} (one HTTP client with its hook active) and
 * inherits the tests: plain call, streamed, abandoned, error status, transport failure, huge body, traceparent,
 * non-LLM request; every one also checks that the exchange saw its events in order and ended exactly once.
 *
 * <p>One {@link HookTestServer} and one client per test class; a fresh {@link RecordingExchangeFactory} is installed
 * into {@code Exchanges} before each test and removed after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
public abstract class AbstractHookTest {
  public static final String APP_TRACEPARENT = "00-11111111111111111111111111111111-2222222222222222-01";
  public static final byte[] REQUEST_JSON =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi \u00e9\u4e16\"}]}"
          .getBytes(StandardCharsets.UTF_8);
  public static final byte[] STREAM_REQUEST_JSON =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
          .getBytes(StandardCharsets.UTF_8);
  /** Limit for the terminal event, which a client may report on its own thread after the application's call. */
  protected static final long END_TIMEOUT_SECONDS = 10;

  protected HookTestServer server;
  protected HookClient client;
  protected RecordingExchangeFactory exchanges;

  /** The HTTP client under test, with its hook active. Called once per test class. */
  protected abstract HookClient createClient() throws Exception;

  @BeforeAll
  void startServerAndClient() throws Exception {
    server = new HookTestServer();
    client = createClient();
  }

  @AfterAll
  void stopServerAndClient() throws Exception {
    try {
      if (client != null) client.close();
    } finally {
      if (server != null) server.close();
    }
  }

  @BeforeEach
  void installRecorder() {
    server.reset();
    exchanges = new RecordingExchangeFactory().install();
  }

  /** Exactly-once ending, for every exchange of every test. */
  @AfterEach
  void everyExchangeEndedExactlyOnce() throws Exception {
    server.releaseStream();
    try {
      for (RecordedExchange exchange : exchanges.exchanges()) {
        exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertWellFormed(exchange);
      }
    } finally {
      RecordingExchangeFactory.uninstall();
    }
  }

  // --- the contract ---

  @Test
  void plainCall() throws Exception {
    byte[] read;
    HookResponse response = client.post(server.uri(HookTestServer.PLAIN + "?api-version=2024-06-01"),
        headers("Content-Type", "application/json", "Authorization", "Bearer sk-test"), REQUEST_JSON);
    try (response) {
      assertEquals(200, response.status());
      assertEquals(HookTestServer.REQUEST_ID, response.header("X-Request-Id"));
      read = response.readAll();
    }
    response.close(); // a second close after the end adds nothing

    assertArrayEquals(HookTestServer.JSON, read, "the application reads the server's bytes");
    HookTestServer.Received atServer = server.onlyRequest();
    assertArrayEquals(REQUEST_JSON, atServer.body, "the server gets the application's bytes");
    assertEquals("Bearer sk-test", atServer.header("authorization").get(0));

    RecordedExchange exchange = exchanges.only();
    ExchangeRequest request = exchange.request();
    assertEquals("POST", request.method());
    assertEquals("http", request.scheme());
    assertEquals(server.uri("/").getHost(), request.host());
    assertEquals(server.port(), request.port());
    assertEquals(HookTestServer.PLAIN, request.path());
    assertEquals("api-version=2024-06-01", request.query());
    assertEquals("Bearer sk-test", request.headers().get("authorization"), "request headers, case-insensitive");

    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertArrayEquals(REQUEST_JSON, exchange.requestBody().bytes(), "request bytes as sent");
    assertArrayEquals(read, exchange.responseBody().bytes(), "response bytes as the application read them");
    assertEquals(200, exchange.status());
    assertEquals("application/json", exchange.responseHeader("content-type"));
    assertEquals("application/json", exchange.responseHeader("Content-Type"));
    assertEquals(HookTestServer.REQUEST_ID, exchange.responseHeader("X-REQUEST-ID"));
    assertEquals(List.of(Kind.PROPAGATION_HEADERS, Kind.REQUEST_BODY, Kind.REQUEST_BODY_END, Kind.RESPONSE,
        Kind.RESPONSE_BODY, Kind.RESPONSE_BODY_END), exchange.events());
  }

  /**
   * A JSON parser reads a fixed-length body to its length and closes it without asking for the end of the stream:
   * the body was read whole, so the exchange ends normally (not abandoned).
   */
  @Test
  void bodyReadToItsLengthThenClosed() throws Exception {
    HookResponse response = client.post(server.uri(HookTestServer.PLAIN),
        headers("Content-Type", "application/json"), REQUEST_JSON);
    byte[] read;
    try (response) {
      read = response.readExactly(HookTestServer.JSON.length);
    }
    assertArrayEquals(HookTestServer.JSON, read);
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertArrayEquals(read, exchange.responseBody().bytes());
  }

  @Test
  void streamed() throws Exception {
    if (!client.streamsBody()) server.releaseStream(); // the client returns only once the body is complete
    List<String> lines = new ArrayList<>();
    try (HookResponse response = client.post(server.uri(HookTestServer.STREAM), json(), STREAM_REQUEST_JSON)) {
      assertEquals(200, response.status());
      String first = response.readLine();
      assertNotNull(first);
      lines.add(first);
      RecordedExchange exchange = exchanges.only();
      if (client.streamsBody()) {
        // the server holds its last event back: what the exchange has seen now arrived before the end
        assertFalse(server.streamFinished());
        assertTrue(exchange.responseBody().count() >= first.getBytes(StandardCharsets.UTF_8).length + 1,
            "the exchange sees each event as the application reads it, got " + exchange.responseBody().count());
        assertFalse(exchange.hasEnded(), "no end before the stream's end: " + exchange.events());
        server.releaseStream();
      }
      for (String line; (line = response.readLine()) != null; ) lines.add(line);
    }

    String sse = new String(HookTestServer.SSE, StandardCharsets.UTF_8);
    assertEquals(sse.lines().collect(Collectors.toList()), lines);
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertArrayEquals(HookTestServer.SSE, exchange.responseBody().bytes());
    assertArrayEquals(STREAM_REQUEST_JSON, exchange.requestBody().bytes());
    assertEquals("text/event-stream", exchange.responseHeader("content-type"));
  }

  @Test
  void abandonedAfterSomeLines() throws Exception {
    Assumptions.assumeTrue(client.streamsBody(), "the client reads the whole body before the application can");
    int bytesRead = 0;
    try (HookResponse response = client.post(server.uri(HookTestServer.STREAM), json(), STREAM_REQUEST_JSON)) {
      for (int i = 0; i < 2; i++) bytesRead += response.readLine().getBytes(StandardCharsets.UTF_8).length + 1;
    }
    assertAbandoned(bytesRead);
  }

  @Test
  void abandonedWithoutReading() throws Exception {
    Assumptions.assumeTrue(client.streamsBody(), "the client reads the whole body before the application can");
    HookResponse response = client.post(server.uri(HookTestServer.STREAM), json(), STREAM_REQUEST_JSON);
    assertEquals(200, response.status());
    response.close();
    response.close();
    assertAbandoned(0);
  }

  private void assertAbandoned(int bytesRead) throws Exception {
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_CLOSED, exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS),
        exchange.toString());
    assertFalse(server.streamFinished(), "closed before the server's last event");
    byte[] seen = exchange.responseBody().bytes();
    assertTrue(seen.length >= bytesRead && seen.length < HookTestServer.SSE.length, "saw " + seen.length);
    assertArrayEquals(Arrays.copyOf(HookTestServer.SSE, seen.length), seen, "a prefix of the stream");
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), exchange.terminalEvents());
  }

  @Test
  void errorStatus() throws Exception {
    byte[] read;
    try (HookResponse response = client.post(server.uri(HookTestServer.ERROR), json(), REQUEST_JSON)) {
      assertEquals(429, response.status(), "the application sees the server's status");
      assertEquals(HookTestServer.RETRY_AFTER, response.header("Retry-After"));
      read = response.readAll();
    }
    assertArrayEquals(HookTestServer.ERROR_JSON, read, "the error body reaches the application unchanged");
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertEquals(429, exchange.status());
    assertEquals(HookTestServer.RETRY_AFTER, exchange.responseHeader("retry-after"));
    assertArrayEquals(HookTestServer.ERROR_JSON, exchange.responseBody().bytes());
  }

  @Test
  void transportFailureMidBody() throws Exception {
    Throwable appError = appErrorOf(server.uri(HookTestServer.BROKEN));
    RecordedExchange exchange = exchanges.only();
    Kind end = exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertTrue(end == Kind.FAILED || end == Kind.RESPONSE_BODY_CLOSED, exchange.toString());
    if (end == Kind.FAILED) assertRelated(appError, exchange.failure());
    assertTrue(exchange.responseBody().count() <= HookTestServer.BROKEN_SENT,
        "no more than the server sent: " + exchange.responseBody().count());
  }

  @Test
  void connectionRefused() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Throwable appError = appErrorOf(URI.create("http://127.0.0.1:" + closedPort + HookTestServer.PLAIN));
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.FAILED, exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS), exchange.toString());
    assertRelated(appError, exchange.failure());
    assertEquals(-1, exchange.status());
  }

  /** Sends to {@code uri}, reads the whole body, and returns what the application caught. */
  private Throwable appErrorOf(URI uri) {
    Throwable appError = null;
    try (HookResponse response = client.post(uri, json(), REQUEST_JSON)) {
      response.readAll();
    } catch (Throwable t) {
      appError = t;
    }
    assertNotNull(appError, "the application gets an exception");
    assertInstanceOf(client.transportException(), appError, "the client's own exception type");
    for (Throwable t = appError; t != null; t = t.getCause()) {
      assertFalse(t.getClass().getName().startsWith("dev.llmotel."), "no agent type reaches the app: " + t);
    }
    return appError;
  }

  @Test
  void hugeBody() throws Exception {
    byte[] upload = hugeRequest(2 * 1024 * 1024);
    CRC32 read = new CRC32();
    long length;
    try (HookResponse response = client.post(server.uri(HookTestServer.HUGE), json(), upload)) {
      byte[] body = response.readAll();
      read.update(body);
      length = body.length;
    }
    assertEquals(HookTestServer.HUGE_SIZE, length);
    assertEquals(HookTestServer.HUGE_CRC32, read.getValue(), "the application reads the server's bytes");
    assertArrayEquals(upload, server.onlyRequest().body, "the server gets the application's bytes");

    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    // Exchange contract: every byte the application reads, in order
    assertEquals(HookTestServer.HUGE_SIZE, exchange.responseBody().count());
    assertEquals(HookTestServer.HUGE_CRC32, exchange.responseBody().crc32());
    assertEquals(upload.length, exchange.requestBody().count());
    CRC32 uploaded = new CRC32();
    uploaded.update(upload);
    assertEquals(uploaded.getValue(), exchange.requestBody().crc32());
    // bytes are passed on as they flow, never gathered into one whole-body copy first
    assertTrue(exchange.responseBody().largestReport() <= 1024 * 1024,
        "largest single report " + exchange.responseBody().largestReport());
    assertTrue(exchange.responseBody().reports() > 1);
  }

  @Test
  void traceparentInjected() throws Exception {
    call(HookTestServer.PLAIN, json());
    RecordedExchange exchange = exchanges.only();
    assertTrue(exchange.events().contains(Kind.PROPAGATION_HEADERS));
    HookTestServer.Received atServer = server.onlyRequest();
    for (Map.Entry<String, String> header : exchange.propagation().entrySet()) {
      assertEquals(List.of(header.getValue()), atServer.header(header.getKey()), header.getKey());
    }
    assertEquals(List.of(RecordingExchangeFactory.TRACEPARENT), atServer.header("traceparent"));
    assertArrayEquals(REQUEST_JSON, atServer.body, "the rebuilt request still carries the body");
  }

  @Test
  void appsOwnTraceparentKept() throws Exception {
    call(HookTestServer.PLAIN, headers("Content-Type", "application/json", "TraceParent", APP_TRACEPARENT));
    assertEquals(List.of(APP_TRACEPARENT), server.onlyRequest().header("traceparent"));
    exchanges.only();
  }

  /** One application call is one exchange with the request body once, however often the client itself sends it. */
  @Test
  void requestTheClientSendsAgain() throws Exception {
    byte[] read;
    int status;
    try (HookResponse response = client.post(server.uri(HookTestServer.RETRY), json(), REQUEST_JSON)) {
      status = response.status();
      read = response.readAll();
    }
    List<HookTestServer.Received> atServer = server.received();
    assertTrue(atServer.size() == 1 && status == 408 || atServer.size() == 2 && status == 200,
        status + " after " + atServer.size() + " requests");
    for (HookTestServer.Received request : atServer) assertArrayEquals(REQUEST_JSON, request.body);

    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertEquals(new String(REQUEST_JSON, StandardCharsets.UTF_8),
        new String(exchange.requestBody().bytes(), StandardCharsets.UTF_8), "the request body, once");
    assertEquals(status, exchange.status(), "the response the application got");
    assertArrayEquals(read, exchange.responseBody().bytes());
  }

  @Test
  void nonLlmRequestUntouched() throws Exception {
    exchanges.accepting(request -> false);
    assertArrayEquals(HookTestServer.OTHER_BODY, call(HookTestServer.OTHER, json()));
    assertEquals(1, exchanges.offered().size(), "the hook asked once");
    assertEquals(List.of(), exchanges.exchanges());
    HookTestServer.Received atServer = server.onlyRequest();
    assertEquals(List.of(), atServer.header("traceparent"));
    assertArrayEquals(REQUEST_JSON, atServer.body);
  }

  @Test
  void noFactoryInstalled() throws Exception {
    RecordingExchangeFactory.uninstall();
    assertArrayEquals(HookTestServer.JSON, call(HookTestServer.PLAIN, json()));
    assertEquals(List.of(), server.onlyRequest().header("traceparent"));
    assertEquals(List.of(), exchanges.offered());
  }

  // --- helpers ---

  /** POSTs {@link #REQUEST_JSON}, expects 200, returns the whole body. */
  protected byte[] call(String path, Map<String, String> headers) throws Exception {
    try (HookResponse response = client.post(server.uri(path), headers, REQUEST_JSON)) {
      assertEquals(200, response.status());
      return response.readAll();
    }
  }

  protected static Map<String, String> json() {
    return headers("Content-Type", "application/json");
  }

  protected static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) headers.put(namesAndValues[i], namesAndValues[i + 1]);
    return headers;
  }

  /** A JSON request of about {@code size} bytes (valid UTF-8, so string-based publishers carry it unchanged). */
  protected static byte[] hugeRequest(int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 64);
    out.writeBytes("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(
        StandardCharsets.US_ASCII));
    for (int i = 0; out.size() < size; i++) out.write('a' + i % 26);
    out.writeBytes("\"}]}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** The exchange reported the same error the application got (same object, same class, or one wraps the other). */
  protected static void assertRelated(Throwable appError, Throwable reported) {
    assertNotNull(reported, "failed(...) got a throwable");
    if (appError == reported || appError.getClass() == reported.getClass()) return;
    for (Throwable t = appError.getCause(); t != null; t = t.getCause()) if (t == reported) return;
    for (Throwable t = reported.getCause(); t != null; t = t.getCause()) if (t == appError) return;
    fail("the application got " + appError + " but the exchange " + reported);
  }

  /**
   * Order and exactly-once ending: propagation headers and request body come first, the request body's end once at
   * most and after its bytes; the response (at most once) before any response body; exactly one terminal event, last.
   */
  protected static void assertWellFormed(RecordedExchange exchange) {
    List<Kind> events = exchange.events();
    String all = exchange.toString();
    assertEquals(1, exchange.terminalEvents().size(), "exactly one terminal event: " + all);
    assertTrue(events.get(events.size() - 1).terminal(), "the terminal event comes last: " + all);
    int requestEnd = events.indexOf(Kind.REQUEST_BODY_END);
    int response = events.indexOf(Kind.RESPONSE);
    assertEquals(requestEnd, events.lastIndexOf(Kind.REQUEST_BODY_END), "request body ends once: " + all);
    assertEquals(response, events.lastIndexOf(Kind.RESPONSE), "one response: " + all);
    int lastRequestBody = events.lastIndexOf(Kind.REQUEST_BODY);
    if (lastRequestBody >= 0) {
      assertTrue(requestEnd < 0 || lastRequestBody < requestEnd, "request bytes before their end: " + all);
      assertTrue(response < 0 || lastRequestBody < response, "request bytes before the response: " + all);
    }
    if (requestEnd >= 0 && response >= 0) assertTrue(requestEnd < response, "request ends first: " + all);
    int firstResponseBody = events.indexOf(Kind.RESPONSE_BODY);
    if (firstResponseBody >= 0) assertTrue(response >= 0 && response < firstResponseBody, "response first: " + all);
    if (events.contains(Kind.RESPONSE_BODY_END)) assertTrue(response >= 0, "an end needs a response: " + all);
  }
}
