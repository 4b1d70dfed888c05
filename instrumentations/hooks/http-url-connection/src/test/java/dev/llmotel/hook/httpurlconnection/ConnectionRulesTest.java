package dev.llmotel.hook.httpurlconnection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The rules the kit does not reach, on the real (woven) JDK class: nested and repeated calls, redirects, responses
 * without a body, the body never read (disconnect, the object collected), a disconnect from another thread,
 * byte-by-byte request bodies, the GET that {@code getOutputStream()} turns into a POST, the hidden request headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ConnectionRulesTest {
  static final byte[] JSON = "{\"id\":\"chatcmpl-1\",\"choices\":[]}".getBytes(StandardCharsets.UTF_8);
  static final byte[] REQUEST = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private RecordingExchangeFactory exchanges;
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());
  private volatile CountDownLatch streamRelease = new CountDownLatch(1);

  @BeforeAll
  void start() throws Exception {
    WovenJdk.install();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/v1/chat/completions", ex -> respond(ex, 200, JSON));
    server.createContext("/v1/redirect", ex -> {
      record(ex);
      ex.getResponseHeaders().set("Location", "/v1/chat/completions");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    server.createContext("/v1/no-content", ex -> {
      record(ex);
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.createContext("/v1/error", ex -> respond(ex, 429, "{\"error\":{}}".getBytes(StandardCharsets.UTF_8)));
    server.createContext("/v1/stream", this::stream);
    server.createContext("/other", ex -> respond(ex, 200, "ok".getBytes(StandardCharsets.UTF_8)));
    server.start();
  }

  @AfterAll
  void stop() {
    server.stop(0);
  }

  @BeforeEach
  void recorder() {
    received.clear();
    streamRelease = new CountDownLatch(1);
    exchanges = new RecordingExchangeFactory().accepting(r -> r.path().startsWith("/v1/")).install();
  }

  @AfterEach
  void everyExchangeEndsOnce() throws Exception {
    streamRelease.countDown();
    try {
      for (RecordedExchange e : exchanges.exchanges()) {
        e.awaitEnd(10, TimeUnit.SECONDS);
        assertEquals(1, e.terminalEvents().size(), e.toString());
        assertEquals(1, Collections.frequency(e.events(), Kind.PROPAGATION_HEADERS), e.toString());
        assertTrue(Collections.frequency(e.events(), Kind.RESPONSE) <= 1, e.toString());
      }
    } finally {
      RecordingExchangeFactory.uninstall();
    }
  }

  @Test
  void nestedAndRepeatedCallsMakeOneExchangeAndReturnTheSameStream() throws Exception {
    HttpURLConnection c = post("/v1/chat/completions");
    assertEquals(200, c.getResponseCode());
    assertEquals("application/json", c.getHeaderField("Content-Type"));
    assertEquals("application/json", c.getContentType());
    assertEquals(JSON.length, c.getContentLength());
    InputStream first = c.getInputStream();
    assertSame(first, c.getInputStream(), "the application gets the same stream object each time");
    assertArrayEquals(JSON, first.readAllBytes());
    assertEquals(200, c.getResponseCode());
    assertSame(first, c.getInputStream(), "also after the end");
    first.close();

    assertEquals(1, exchanges.offered().size(), "asked once");
    RecordedExchange e = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, e.awaitEnd(5, TimeUnit.SECONDS));
    assertEquals(List.of(Kind.PROPAGATION_HEADERS, Kind.REQUEST_BODY, Kind.REQUEST_BODY_END, Kind.RESPONSE,
        Kind.RESPONSE_BODY, Kind.RESPONSE_BODY_END), e.events());
    assertArrayEquals(JSON, e.responseBody().bytes());
  }

  @Test
  void aRedirectFollowedInsideGetInputStreamIsOneExchange() throws Exception {
    HttpURLConnection c = (HttpURLConnection) url("/v1/redirect").openConnection();
    assertEquals(200, c.getResponseCode());
    assertArrayEquals(JSON, readAll(c.getInputStream()));

    assertEquals(List.of("GET /v1/redirect", "GET /v1/chat/completions"), received);
    RecordedExchange e = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, e.awaitEnd(5, TimeUnit.SECONDS));
    assertEquals("/v1/redirect", e.request().path(), "the request the application made");
    assertEquals(200, e.status(), "the response it got");
    assertArrayEquals(JSON, e.responseBody().bytes());
  }

  @Test
  void responsesWithoutABodyEndAtOnce() throws Exception {
    HttpURLConnection noContent = (HttpURLConnection) url("/v1/no-content").openConnection();
    assertEquals(204, noContent.getResponseCode());
    HttpURLConnection head = (HttpURLConnection) url("/v1/chat/completions").openConnection();
    head.setRequestMethod("HEAD");
    assertEquals(200, head.getResponseCode());

    assertEquals(2, exchanges.exchanges().size());
    for (RecordedExchange e : exchanges.exchanges()) {
      assertEquals(Kind.RESPONSE_WITHOUT_BODY, e.awaitEnd(5, TimeUnit.SECONDS), e.toString());
    }
  }

  @Test
  void onlyTheStatusReadThenDisconnectIsAbandoned() throws Exception {
    HttpURLConnection c = post("/v1/error");
    assertEquals(429, c.getResponseCode());
    RecordedExchange e = exchanges.only();
    assertFalse(e.hasEnded(), "the error body can still be read through getErrorStream()");
    c.disconnect();
    assertEquals(Kind.RESPONSE_BODY_CLOSED, e.awaitEnd(5, TimeUnit.SECONDS));
    assertEquals(429, e.status());
    c.disconnect();
  }

  @Test
  void aConnectionCollectedWithItsBodyUnreadIsAbandoned() throws Exception {
    WeakReference<HttpURLConnection> ref = statusOnly("/v1/chat/completions");
    RecordedExchange e = exchanges.only();
    assertFalse(e.hasEnded());
    for (int i = 0; i < 50 && !e.hasEnded(); i++) {
      System.gc();
      Thread.sleep(20);
      // any later connection lets the hook notice the collected one
      HttpURLConnection other = (HttpURLConnection) url("/other").openConnection();
      assertEquals(200, other.getResponseCode());
      other.getInputStream().close();
    }
    assertNull(ref.get(), "the connection was collected");
    assertEquals(Kind.RESPONSE_BODY_CLOSED, e.awaitEnd(5, TimeUnit.SECONDS), e.toString());
    assertEquals(200, e.status());
  }

  private WeakReference<HttpURLConnection> statusOnly(String path) throws Exception {
    HttpURLConnection c = post(path);
    assertEquals(200, c.getResponseCode());
    return new WeakReference<>(c);
  }

  @Test
  void connectThenDisconnectWithoutARequestIsAbandoned() throws Exception {
    HttpURLConnection c = post("/v1/chat/completions");
    c.connect();
    c.disconnect();
    RecordedExchange e = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_CLOSED, e.awaitEnd(5, TimeUnit.SECONDS));
    assertEquals(-1, e.status());
  }

  /**
   * A reader blocked on the stream, another thread disconnecting: the exchange ends (abandoned) when the disconnect
   * begins, although the JDK's close waits for the blocked read; the read's own end or failure adds nothing.
   */
  @Test
  void aDisconnectFromAnotherThreadWhileReadingEndsTheExchangeOnce() throws Exception {
    HttpURLConnection c = post("/v1/stream");
    InputStream in = c.getInputStream();
    byte[] first = new byte[6];
    assertEquals(6, in.readNBytes(first, 0, 6));
    AtomicReference<Object> readerSaw = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        readerSaw.set(in.readAllBytes().length);
      } catch (IOException ex) {
        readerSaw.set(ex);
      }
    });
    reader.start();
    Thread.sleep(100); // the reader is now blocked on the held-back rest of the stream
    Thread disconnecting = new Thread(c::disconnect);
    disconnecting.start();
    RecordedExchange e = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_CLOSED, e.awaitEnd(5, TimeUnit.SECONDS), e.toString());
    streamRelease.countDown();
    reader.join(10_000);
    disconnecting.join(10_000);
    assertNotNull(readerSaw.get());
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), e.terminalEvents());
  }

  @Test
  void aBodyWrittenByteByByteIsShownInBatches() throws Exception {
    String json = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(1000)
        + "\"}]}";
    HttpURLConnection c = (HttpURLConnection) url("/v1/chat/completions").openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    try (DataOutputStream out = new DataOutputStream(c.getOutputStream())) {
      out.writeBytes(json); // one write(int) per character
    }
    assertArrayEquals(JSON, readAll(c.getInputStream()));
    RecordedExchange e = exchanges.only();
    e.awaitEnd(5, TimeUnit.SECONDS);
    assertEquals(json, new String(e.requestBody().bytes(), StandardCharsets.UTF_8));
    assertTrue(e.requestBody().reports() <= json.length() / 100, e.requestBody().reports() + " reports");
  }

  @Test
  void aGetWithABodyIsThePostItBecomes() throws Exception {
    HttpURLConnection c = (HttpURLConnection) url("/v1/chat/completions").openConnection();
    c.setDoOutput(true); // no setRequestMethod: getOutputStream() sends a POST
    try (OutputStream out = c.getOutputStream()) {
      out.write(REQUEST);
    }
    assertArrayEquals(JSON, readAll(c.getInputStream()));
    assertEquals(List.of("POST /v1/chat/completions"), received);
    assertEquals("POST", exchanges.only().request().method());
  }

  @Test
  void requestHeadersIncludeTheOnesGetRequestPropertyHides() throws Exception {
    HttpURLConnection c = (HttpURLConnection) url("/v1/chat/completions").openConnection();
    c.setRequestProperty("Authorization", "Bearer sk-test");
    c.setRequestProperty("X-Api-Key", "k");
    assertNull(c.getRequestProperty("Authorization"), "the JDK hides it from the public API");
    assertEquals(200, c.getResponseCode());
    c.getInputStream().close();
    RecordedExchange e = exchanges.only();
    assertEquals("Bearer sk-test", e.request().headers().get("authorization"));
    assertEquals("k", e.request().headers().get("x-api-key"));
  }

  @Test
  void theHookIgnoresAConnectionFirstSeenConnected() throws Exception {
    HttpURLConnection c = (HttpURLConnection) url("/v1/chat/completions").openConnection();
    ConnectionHook hook = new ConnectionHook();
    assertNull(hook.enter(c, new Object[] {"getInputStream", null}), "no headers: the request may have left");
    assertNull(hook.enter(c, new Object[] {"getInputStream", Map.of()}), "decided once");
    assertEquals(List.of(), exchanges.offered());
  }

  // --- helpers ---

  private URL url(String path) throws IOException {
    return new URL("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private HttpURLConnection post(String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) url(path).openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = c.getOutputStream()) {
      out.write(REQUEST);
    }
    return c;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = in.read(buf)) != -1; ) out.write(buf, 0, n);
    in.close();
    return out.toByteArray();
  }

  private void record(HttpExchange ex) throws IOException {
    received.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
    ex.getRequestBody().readAllBytes();
  }

  private void respond(HttpExchange ex, int status, byte[] body) throws IOException {
    record(ex);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
    } else {
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
    }
    ex.close();
  }

  /** Two events, then the rest held back until the test ends. */
  private void stream(HttpExchange ex) throws IOException {
    record(ex);
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      out.write("data: {\"a\":1}\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      streamRelease.await(10, TimeUnit.SECONDS);
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    } catch (InterruptedException | IOException e) {
      // the client went away
    }
  }
}
