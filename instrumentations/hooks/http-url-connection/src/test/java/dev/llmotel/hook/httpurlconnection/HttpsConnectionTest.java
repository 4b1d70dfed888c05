package dev.llmotel.hook.httpurlconnection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * HTTPS: {@code HttpsURLConnectionImpl} hands every call to its {@code DelegateHttpsURLConnection}, a subclass of the
 * woven class, so the same advice sees it; an explicit {@code connect()} arrives through the delegate's own {@code
 * connect()} (which calls the woven {@code plainConnect()}), and a failed TLS handshake there fails the exchange. A
 * local HTTPS server with a certificate made by {@code keytool} for this run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class HttpsConnectionTest {
  static final byte[] JSON = "{\"id\":\"chatcmpl-1\",\"choices\":[]}".getBytes(StandardCharsets.UTF_8);
  static final byte[] REQUEST = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
  static final String SSE = "data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n";

  private HttpsServer server;
  private SSLContext trusting;
  private RecordingExchangeFactory exchanges;
  private final List<String> traceparents = Collections.synchronizedList(new ArrayList<>());
  private volatile CountDownLatch release = new CountDownLatch(1);

  @BeforeAll
  void start() throws Exception {
    WovenJdk.install();
    char[] password = "changeit".toCharArray();
    Path dir = Files.createTempDirectory("https-connection-test");
    Path store = dir.resolve("server.p12");
    store.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    Process keytool = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, keytool.waitFor(), output);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keys);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/v1/chat/completions", ex -> respond(ex, "application/json", JSON.length, JSON));
    server.createContext("/v1/stream", this::stream);
    server.start();
  }

  @AfterAll
  void stop() {
    server.stop(0);
  }

  @BeforeEach
  void recorder() {
    traceparents.clear();
    release = new CountDownLatch(1);
    exchanges = new RecordingExchangeFactory().install();
  }

  @AfterEach
  void uninstall() throws Exception {
    release.countDown();
    try {
      for (RecordedExchange e : exchanges.exchanges()) {
        e.awaitEnd(10, TimeUnit.SECONDS);
        assertEquals(1, e.terminalEvents().size(), e.toString());
      }
    } finally {
      RecordingExchangeFactory.uninstall();
    }
  }

  @Test
  void aPlainCallOverHttps() throws Exception {
    HttpsURLConnection c = open("/v1/chat/completions");
    assertTrue(c.getClass().getName().endsWith("HttpsURLConnectionImpl"), c.getClass().getName());
    writeBody(c);
    assertEquals(200, c.getResponseCode());
    assertArrayEquals(JSON, readAll(c.getInputStream()));

    RecordedExchange e = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, e.awaitEnd(5, TimeUnit.SECONDS));
    assertEquals("https", e.request().scheme());
    assertEquals(server.getAddress().getPort(), e.request().port());
    assertEquals(List.of(Kind.PROPAGATION_HEADERS, Kind.REQUEST_BODY, Kind.REQUEST_BODY_END, Kind.RESPONSE,
        Kind.RESPONSE_BODY, Kind.RESPONSE_BODY_END), e.events());
    assertArrayEquals(REQUEST, e.requestBody().bytes());
    assertArrayEquals(JSON, e.responseBody().bytes());
    assertEquals(List.of(RecordingExchangeFactory.TRACEPARENT), traceparents);
  }

  /** Spring's order: connect() first (the delegate's own connect, then the woven plainConnect), then the body. */
  @Test
  void anExplicitConnectBeginsTheExchangeBeforeTheRequest() throws Exception {
    HttpsURLConnection c = open("/v1/chat/completions");
    c.setFixedLengthStreamingMode(REQUEST.length);
    c.connect();
    assertEquals(1, exchanges.exchanges().size(), "begun at connect()");
    writeBody(c);
    assertEquals(200, c.getResponseCode());
    assertArrayEquals(JSON, readAll(c.getInputStream()));
    assertEquals(Kind.RESPONSE_BODY_END, exchanges.only().awaitEnd(5, TimeUnit.SECONDS));
    assertEquals(List.of(RecordingExchangeFactory.TRACEPARENT), traceparents);
  }

  @Test
  void aStreamReadLineByLine() throws Exception {
    HttpsURLConnection c = open("/v1/stream");
    writeBody(c);
    InputStream in = c.getInputStream();
    String first = readLine(in);
    assertEquals("data: {\"a\":1}", first);
    RecordedExchange e = exchanges.only();
    assertFalse(e.hasEnded());
    assertTrue(e.responseBody().count() > first.length());
    release.countDown();
    StringBuilder rest = new StringBuilder(first).append('\n');
    for (String line; (line = readLine(in)) != null; ) rest.append(line).append('\n');
    assertEquals(SSE, rest.toString());
    assertEquals(Kind.RESPONSE_BODY_END, e.awaitEnd(5, TimeUnit.SECONDS));
    assertEquals(SSE, new String(e.responseBody().bytes(), StandardCharsets.UTF_8));
  }

  /** The handshake fails after plainConnect() returned: only the delegate's connect() sees it. */
  @Test
  void aFailedHandshakeOnAnExplicitConnectFailsTheExchange() throws Exception {
    HttpsURLConnection c = open("/v1/chat/completions");
    c.setSSLSocketFactory(SSLContext.getDefault().getSocketFactory()); // does not trust the test certificate
    SSLException thrown = assertThrows(SSLException.class, c::connect);
    RecordedExchange e = exchanges.only();
    assertEquals(Kind.FAILED, e.awaitEnd(5, TimeUnit.SECONDS), e.toString());
    assertSame(thrown, e.failure());
  }

  @Test
  void aFailedHandshakeInsideGetOutputStreamFailsTheExchangeOnce() throws Exception {
    HttpsURLConnection c = open("/v1/chat/completions");
    c.setSSLSocketFactory(SSLContext.getDefault().getSocketFactory());
    SSLException thrown = assertThrows(SSLException.class, c::getOutputStream);
    RecordedExchange e = exchanges.only();
    assertEquals(Kind.FAILED, e.awaitEnd(5, TimeUnit.SECONDS), e.toString());
    assertSame(thrown, e.failure());
  }

  // --- helpers ---

  private HttpsURLConnection open(String path) throws IOException {
    URL url = new URL("https://127.0.0.1:" + server.getAddress().getPort() + path);
    HttpsURLConnection c = (HttpsURLConnection) url.openConnection();
    c.setSSLSocketFactory(trusting.getSocketFactory());
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    c.setReadTimeout(20_000);
    return c;
  }

  private static void writeBody(HttpURLConnection c) throws IOException {
    try (OutputStream out = c.getOutputStream()) {
      out.write(REQUEST);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = in.read(buf)) != -1; ) out.write(buf, 0, n);
    in.close();
    return out.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') line.write(b);
    return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  private void received(HttpExchange ex) throws IOException {
    String tp = ex.getRequestHeaders().getFirst("traceparent");
    if (tp != null) traceparents.add(tp);
    ex.getRequestBody().readAllBytes();
  }

  private void respond(HttpExchange ex, String type, long length, byte[] body) throws IOException {
    received(ex);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  /** The first event, then the rest once the test releases it. */
  private void stream(HttpExchange ex) throws IOException {
    received(ex);
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    int cut = SSE.indexOf("\n\n") + 2;
    try (OutputStream out = ex.getResponseBody()) {
      out.write(SSE.substring(0, cut).getBytes(StandardCharsets.UTF_8));
      out.flush();
      release.await(10, TimeUnit.SECONDS);
      out.write(SSE.substring(cut).getBytes(StandardCharsets.UTF_8));
    } catch (InterruptedException | IOException e) {
      // the client went away
    }
  }
}
