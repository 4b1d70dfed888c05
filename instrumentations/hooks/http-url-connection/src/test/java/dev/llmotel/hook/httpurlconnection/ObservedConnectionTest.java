package dev.llmotel.hook.httpurlconnection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-connection rules without a server: the connection objects are never connected (opening one does not), the
 * response is handed in as the hook hands it after {@code getInputStream()}.
 */
class ObservedConnectionTest {
  static final byte[] BODY = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

  private RecordingExchangeFactory exchanges;

  @BeforeEach
  void install() {
    exchanges = new RecordingExchangeFactory().install();
  }

  @AfterEach
  void uninstall() {
    RecordingExchangeFactory.uninstall();
  }

  private static HttpURLConnection unconnected() throws IOException {
    return (HttpURLConnection) new URL("http://127.0.0.1:9/v1/chat/completions?x=1").openConnection();
  }

  private ObservedConnection begun(HttpURLConnection connection) {
    ObservedConnection observed = new ObservedConnection();
    observed.beginOnce(connection, Map.of("Content-Type", List.of("application/json")));
    assertTrue(observed.observed());
    return observed;
  }

  private static HeaderSnapshot headers(String... namesAndValues) {
    java.util.Map<String, List<String>> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) map.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
    return HeaderSnapshot.of(map);
  }

  @Test
  void beginsOnceDescribesTheRequestAndPropagates() throws Exception {
    HttpURLConnection connection = unconnected();
    connection.setDoOutput(true);
    ObservedConnection observed = begun(connection);
    observed.beginOnce(connection, Map.of());
    assertEquals(1, exchanges.offered().size());
    RecordedExchange e = exchanges.only();
    assertEquals("POST", e.request().method());
    assertEquals("http", e.request().scheme());
    assertEquals("127.0.0.1", e.request().host());
    assertEquals(9, e.request().port());
    assertEquals("/v1/chat/completions", e.request().path());
    assertEquals("x=1", e.request().query());
    assertEquals("application/json", e.request().headers().get("content-type"));
    assertEquals(RecordingExchangeFactory.TRACEPARENT, connection.getRequestProperty("traceparent"));
  }

  @Test
  void theApplicationsOwnTraceparentIsKept() throws Exception {
    HttpURLConnection connection = unconnected();
    connection.setRequestProperty("traceparent", "mine");
    new ObservedConnection().beginOnce(connection, Map.of("traceparent", List.of("mine")));
    assertEquals("mine", connection.getRequestProperty("traceparent"));
  }

  @Test
  void notAnLlmCallIsNotObserved() throws Exception {
    exchanges.accepting(r -> false);
    HttpURLConnection connection = unconnected();
    ObservedConnection observed = new ObservedConnection();
    observed.beginOnce(connection, Map.of());
    assertFalse(observed.observed());
    assertNull(connection.getRequestProperty("traceparent"));
    OutputStream raw = new ByteArrayOutputStream();
    assertSame(raw, observed.requestStream(raw, connection));
  }

  @Test
  void theRequestStreamIsOneTeePerUnderlyingStream() throws Exception {
    HttpURLConnection connection = unconnected();
    ObservedConnection observed = begun(connection);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    OutputStream tee = observed.requestStream(raw, connection);
    assertInstanceOf(TeeRequestStream.class, tee);
    assertSame(tee, observed.requestStream(raw, connection));
    OutputStream other = new ByteArrayOutputStream();
    assertSame(other, observed.requestStream(other, connection), "one request body per connection");

    tee.write('{');
    tee.write(BODY, 0, 5);
    tee.write('}');
    tee.close();
    assertEquals("{01234}", raw.toString(StandardCharsets.US_ASCII));
    RecordedExchange e = exchanges.only();
    assertEquals("{01234}", new String(e.requestBody().bytes(), StandardCharsets.US_ASCII));
    assertEquals(3, e.requestBody().reports(), "'{' batched until the larger write, '}' until close");
    assertEquals(List.of(Kind.PROPAGATION_HEADERS, Kind.REQUEST_BODY, Kind.REQUEST_BODY_END), e.events());
  }

  @Test
  void batchedBytesAreShownBeforeTheResponse() throws Exception {
    HttpURLConnection connection = unconnected();
    ObservedConnection observed = begun(connection);
    OutputStream tee = observed.requestStream(new ByteArrayOutputStream(), connection);
    tee.write('a');
    tee.write('b'); // never closed nor flushed by the application
    observed.response(200, headers("Content-Length", "3"), false);
    RecordedExchange e = exchanges.only();
    assertEquals("ab", new String(e.requestBody().bytes(), StandardCharsets.US_ASCII));
    assertEquals(List.of(Kind.PROPAGATION_HEADERS, Kind.REQUEST_BODY, Kind.REQUEST_BODY_END, Kind.RESPONSE),
        e.events());
  }

  @Test
  void aBodyOfKnownLengthEndsAtItsLastByte() throws Exception {
    HttpURLConnection connection = unconnected();
    ObservedConnection observed = begun(connection);
    observed.response(200, headers("Content-Length", String.valueOf(BODY.length)), false);
    InputStream tee = observed.responseStream(new ByteArrayInputStream(BODY), connection);
    assertEquals(BODY.length, tee.readNBytes(new byte[BODY.length], 0, BODY.length));
    RecordedExchange e = exchanges.only();
    assertTrue(e.hasEnded(), "ended without the application asking for more or closing");
    assertEquals(List.of(Kind.RESPONSE_BODY_END), e.terminalEvents());
    tee.close();
    assertEquals(List.of(Kind.RESPONSE_BODY_END), e.terminalEvents());
  }

  @Test
  void anEndOfStreamBeforeTheContentLengthFails() throws Exception {
    HttpURLConnection connection = unconnected();
    ObservedConnection observed = begun(connection);
    observed.response(200, headers("Content-Length", "100"), false);
    InputStream tee = observed.responseStream(new ByteArrayInputStream(BODY), connection);
    assertArrayEquals(BODY, tee.readAllBytes(), "the application's bytes, whatever the exchange makes of them");
    RecordedExchange e = exchanges.only();
    assertEquals(Kind.FAILED, e.awaitEnd(1, TimeUnit.SECONDS));
    assertInstanceOf(IOException.class, e.failure());
    assertTrue(e.failure().getMessage().startsWith("Premature EOF"), e.failure().getMessage());
  }

  @Test
  void closedBeforeTheEndIsAbandonedAndAfterAllBytesComplete() throws Exception {
    HttpURLConnection connection = unconnected();
    ObservedConnection early = begun(connection);
    early.response(200, headers("Transfer-Encoding", "chunked"), false);
    InputStream tee = early.responseStream(new ByteArrayInputStream(BODY), connection);
    tee.read(new byte[4]);
    tee.close();
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), exchanges.exchanges().get(0).terminalEvents());

    ObservedConnection noResponse = begun(unconnected());
    noResponse.released();
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), exchanges.exchanges().get(1).terminalEvents());
  }

  @Test
  void responsesWithoutABodyByHttpsRules() throws Exception {
    Object[][] cases = {{204, headers(), false}, {304, headers("Content-Length", "10"), false},
        {200, headers("Content-Length", "0"), false}, {200, headers("Content-Length", "10"), true}};
    for (Object[] c : cases) {
      ObservedConnection observed = begun(unconnected());
      observed.response((Integer) c[0], (HeaderSnapshot) c[1], (Boolean) c[2]);
      RecordedExchange e = exchanges.exchanges().get(exchanges.exchanges().size() - 1);
      assertEquals(List.of(Kind.RESPONSE_WITHOUT_BODY), e.terminalEvents(), c[0] + " " + c[2]);
    }
  }

  @Test
  void theResponseIsReportedOnceAndTheStreamIsOneTee() throws Exception {
    HttpURLConnection connection = unconnected();
    ObservedConnection observed = begun(connection);
    InputStream raw = new ByteArrayInputStream(BODY);
    assertSame(raw, observed.responseStream(raw, connection), "no tee before the response");
    observed.response(200, headers(), false);
    observed.response(500, headers(), false);
    InputStream tee = observed.responseStream(raw, connection);
    assertInstanceOf(TeeResponseStream.class, tee);
    assertSame(tee, observed.responseStream(raw, connection));
    InputStream other = new ByteArrayInputStream(BODY);
    assertSame(other, observed.responseStream(other, connection), "one body per connection");
    RecordedExchange e = exchanges.only();
    assertEquals(200, e.status());
    tee.close();
  }

  @Test
  void bytesReadAgainAfterResetAreShownOnce() throws Exception {
    HttpURLConnection connection = unconnected();
    ObservedConnection observed = begun(connection);
    observed.response(200, headers(), false);
    InputStream tee = observed.responseStream(new ByteArrayInputStream(BODY), connection);
    assertTrue(tee.markSupported(), "as the stream underneath");
    tee.mark(100);
    byte[] first = tee.readNBytes(10);
    tee.reset();
    byte[] again = tee.readNBytes(4);
    tee.reset();
    byte[] all = tee.readAllBytes();
    assertArrayEquals(java.util.Arrays.copyOf(BODY, 10), first);
    assertArrayEquals(java.util.Arrays.copyOf(BODY, 4), again);
    assertArrayEquals(BODY, all);
    RecordedExchange e = exchanges.only();
    assertArrayEquals(BODY, e.responseBody().bytes(), "every byte once, in order");
    assertEquals(List.of(Kind.RESPONSE_BODY_END), e.terminalEvents());
  }

  @Test
  void skippedBytesAreReadThrough() throws Exception {
    HttpURLConnection connection = unconnected();
    ObservedConnection observed = begun(connection);
    observed.response(200, headers(), false);
    InputStream tee = observed.responseStream(new ByteArrayInputStream(BODY), connection);
    assertEquals(10, tee.skip(10));
    tee.readAllBytes();
    assertArrayEquals(BODY, exchanges.only().responseBody().bytes());
  }

  @Test
  void aReadThatThrowsFailsTheExchangeWithTheApplicationsException() throws Exception {
    HttpURLConnection connection = unconnected();
    ObservedConnection observed = begun(connection);
    observed.response(200, headers(), false);
    IOException broken = new IOException("reset");
    InputStream tee = observed.responseStream(new InputStream() {
      @Override
      public int read() throws IOException {
        throw broken;
      }
    }, connection);
    IOException got = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, tee::read);
    assertSame(broken, got);
    assertSame(broken, exchanges.only().failure());
    assertEquals(List.of(Kind.FAILED), exchanges.only().terminalEvents());
  }

  @Test
  void theRegistryReleasesACollectedConnectionsExchange() throws Exception {
    ConnectionRegistry registry = new ConnectionRegistry();
    Object key = new Object();
    ObservedConnection observed = registry.findOrCreate(key);
    observed.beginOnce(unconnected(), Map.of());
    assertSame(observed, registry.find(key));
    RecordedExchange e = exchanges.only();
    key = null;
    for (int i = 0; i < 50 && !e.hasEnded(); i++) {
      System.gc();
      Thread.sleep(10);
      registry.find(new Object()); // any look-up notices collected connections
    }
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), e.terminalEvents());
    assertEquals(0, registry.size());
    assertNull(key);
  }

  @Test
  void theRegistryIsBounded() {
    ConnectionRegistry registry = new ConnectionRegistry(2);
    Object a = new Object();
    Object b = new Object();
    assertNotNull(registry.findOrCreate(a));
    assertNotNull(registry.findOrCreate(b));
    assertNull(registry.findOrCreate(new Object()), "full: not observed");
    assertSame(registry.findOrCreate(a), registry.find(a), "known connections still are");
    assertEquals(2, registry.size());
  }
}
