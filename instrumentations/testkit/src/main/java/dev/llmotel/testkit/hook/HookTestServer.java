package dev.llmotel.testkit.hook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A local HTTP server (loopback only) with canned routes that look like an LLM API. Every request is recorded (method,
 * path, headers, body) before the response starts.
 *
 * <ul>
 *   <li>{@link #PLAIN} — 200, {@code application/json} {@link #JSON} (with non-ASCII text), header {@code X-Request-Id}
 *   <li>{@link #STREAM} — 200, {@code text/event-stream}: {@link #SSE_EVENTS}, one flushed chunk each, a short pause
 *       between them; the last one is held back until {@link #releaseStream()} (or {@link #STREAM_HOLD_SECONDS})
 *   <li>{@link #ERROR} — 429, {@code application/json} {@link #ERROR_JSON}, header {@code Retry-After}
 *   <li>{@link #HUGE} — 200, {@link #HUGE_SIZE} ASCII bytes with a known {@link #HUGE_CRC32}, generated on the fly
 *   <li>{@link #BROKEN} — 200 announcing {@link #BROKEN_LENGTH} bytes, sends {@link #BROKEN_SENT} of them, then the
 *       server drops the connection (a transport failure in the middle of the body)
 *   <li>{@link #RETRY} — the first request after {@link #reset()} gets 408 {@link #TIMEOUT_JSON} (which OkHttp, for
 *       one, answers by sending the same request again), every later one the {@link #PLAIN} response
 *   <li>{@link #OTHER} — 200, {@code text/plain} {@code ok}: a request no dialect would recognise
 * </ul>
 */
public final class HookTestServer implements AutoCloseable {
  public static final String PLAIN = "/v1/chat/completions";
  public static final String STREAM = "/v1/stream";
  public static final String ERROR = "/v1/error";
  public static final String HUGE = "/v1/huge";
  public static final String BROKEN = "/v1/broken";
  public static final String RETRY = "/v1/retry";
  public static final String OTHER = "/v1/other";

  public static final String REQUEST_ID = "req-42";
  public static final byte[] JSON = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hallo, Welt! \u00e9\u4e16\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}")
      .getBytes(StandardCharsets.UTF_8);
  public static final List<byte[]> SSE_EVENTS = sseEvents();
  public static final byte[] SSE = concat(SSE_EVENTS);
  public static final long STREAM_PAUSE_MILLIS = 15;
  public static final int STREAM_HOLD_SECONDS = 10;
  public static final String RETRY_AFTER = "7";
  public static final byte[] ERROR_JSON = ("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
      + "\"code\":\"rate_limit_exceeded\"}}").getBytes(StandardCharsets.UTF_8);
  public static final int HUGE_SIZE = 8 * 1024 * 1024 + 17;
  public static final long HUGE_CRC32 = hugeCrc32();
  public static final int BROKEN_LENGTH = 100_000;
  public static final int BROKEN_SENT = 1_000;
  public static final byte[] TIMEOUT_JSON =
      "{\"error\":{\"message\":\"Request timed out\",\"type\":\"timeout\"}}".getBytes(StandardCharsets.UTF_8);
  public static final byte[] OTHER_BODY = "ok".getBytes(StandardCharsets.UTF_8);

  static {
    // Read once by the JDK server's configuration: set it before the first server exists (a no-op afterwards).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** One request as the server received it. Header names are lower case. */
  public static final class Received {
    public final String method;
    public final String path;
    public final String query;
    public final Map<String, List<String>> headers;
    public final byte[] body;

    Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
      this.method = method;
      this.path = path;
      this.query = query;
      this.headers = headers;
      this.body = body;
    }

    /** All values of a header (empty when absent). */
    public List<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? Collections.emptyList() : values;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "hook-test-server");
    t.setDaemon(true);
    return t;
  });
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private volatile CountDownLatch streamGate = new CountDownLatch(1);
  /** Set once the stream route wrote its last event (not when it gave up on a closed connection). */
  private volatile AtomicBoolean streamFinished = new AtomicBoolean();
  private final AtomicInteger retries = new AtomicInteger();

  public HookTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(PLAIN, ex -> fixed(ex, 200, "application/json", JSON));
    server.createContext(ERROR, ex -> fixed(ex, 429, "application/json", ERROR_JSON));
    server.createContext(OTHER, ex -> fixed(ex, 200, "text/plain", OTHER_BODY));
    server.createContext(RETRY, ex -> {
      if (retries.getAndIncrement() == 0) fixed(ex, 408, "application/json", TIMEOUT_JSON);
      else fixed(ex, 200, "application/json", JSON);
    });
    server.createContext(STREAM, this::stream);
    server.createContext(HUGE, this::huge);
    server.createContext(BROKEN, this::broken);
    server.start();
  }

  /** The URI of a path (with an optional query, e.g. {@code "/v1/chat/completions?api-version=1"}) on this server. */
  public URI uri(String pathAndQuery) {
    return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
        + server.getAddress().getPort() + pathAndQuery);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Forgets what was received and holds the stream's last event again. */
  public void reset() {
    releaseStream();
    received.clear();
    retries.set(0);
    streamGate = new CountDownLatch(1);
    streamFinished = new AtomicBoolean();
  }

  /** Lets the stream route send its last event. */
  public void releaseStream() {
    streamGate.countDown();
  }

  /**
   * True once the stream route has sent its last event. (Not when its next write met a connection the client had
   * closed: a test that abandons the stream asserts this stays false, and the server notices the close a few ms on.)
   */
  public boolean streamFinished() {
    return streamFinished.get();
  }

  /** Every request received since the last {@link #reset()}, in order. */
  public List<Received> received() {
    synchronized (received) {
      return new ArrayList<>(received);
    }
  }

  /** The one request received since the last {@link #reset()}. */
  public Received onlyRequest() {
    List<Received> all = received();
    if (all.size() != 1) throw new AssertionError("expected one request at the server, got " + all.size());
    return all.get(0);
  }

  private void record(HttpExchange ex) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>();
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      headers.put(h.getKey().toLowerCase(Locale.ROOT), new ArrayList<>(h.getValue()));
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    URI uri = ex.getRequestURI();
    received.add(new Received(ex.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body));
  }

  private void fixed(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    try {
      record(ex);
      ex.getResponseHeaders().set("Content-Type", contentType);
      ex.getResponseHeaders().set("X-Request-Id", REQUEST_ID);
      if (status == 429) ex.getResponseHeaders().set("Retry-After", RETRY_AFTER);
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException clientWentAway) {
      // a test that closes early
    } finally {
      ex.close();
    }
  }

  private void stream(HttpExchange ex) throws IOException {
    CountDownLatch gate = streamGate;
    AtomicBoolean finished = streamFinished;
    try {
      record(ex);
      ex.getResponseHeaders().set("Content-Type", "text/event-stream");
      ex.getResponseHeaders().set("X-Request-Id", REQUEST_ID);
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      for (int i = 0; i < SSE_EVENTS.size(); i++) {
        if (i == SSE_EVENTS.size() - 1) gate.await(STREAM_HOLD_SECONDS, TimeUnit.SECONDS);
        else if (i > 0) Thread.sleep(STREAM_PAUSE_MILLIS);
        out.write(SSE_EVENTS.get(i));
        out.flush();
      }
      finished.set(true);
      out.close();
    } catch (IOException | InterruptedException clientWentAway) {
      // a test that closes early
    } finally {
      ex.close();
    }
  }

  private void huge(HttpExchange ex) throws IOException {
    try {
      record(ex);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, HUGE_SIZE);
      try (OutputStream out = ex.getResponseBody()) {
        HugeBody body = new HugeBody();
        byte[] chunk = new byte[64 * 1024];
        for (int left = HUGE_SIZE; left > 0; ) {
          int n = Math.min(chunk.length, left);
          body.next(chunk, n);
          out.write(chunk, 0, n);
          left -= n;
        }
      }
    } catch (IOException clientWentAway) {
      // a test that closes early
    } finally {
      ex.close();
    }
  }

  /** Announces BROKEN_LENGTH bytes, sends BROKEN_SENT, then throws: the JDK server then closes the connection. */
  private void broken(HttpExchange ex) throws IOException {
    record(ex);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, BROKEN_LENGTH);
    OutputStream out = ex.getResponseBody();
    byte[] head = new byte[BROKEN_SENT];
    new HugeBody().next(head, head.length);
    head[0] = '{';
    out.write(head);
    out.flush();
    throw new IOException("hook test server: connection dropped mid-body on purpose");
  }

  @Override
  public void close() {
    releaseStream();
    server.stop(0);
    executor.shutdownNow();
  }

  /** Deterministic printable ASCII (so it survives a String round trip), a newline every 100 bytes. */
  static final class HugeBody {
    private static final byte[] ALPHABET =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.:{}[]\"-_"
            .getBytes(StandardCharsets.US_ASCII);
    private long state = 0x9E3779B97F4A7C15L;
    private long position;

    void next(byte[] into, int n) {
      for (int i = 0; i < n; i++, position++) {
        if (position % 100 == 99) {
          into[i] = '\n';
          continue;
        }
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        into[i] = ALPHABET[(int) ((state >>> 33) % ALPHABET.length)];
      }
    }
  }

  private static long hugeCrc32() {
    CRC32 crc = new CRC32();
    HugeBody body = new HugeBody();
    byte[] chunk = new byte[64 * 1024];
    for (int left = HUGE_SIZE; left > 0; ) {
      int n = Math.min(chunk.length, left);
      body.next(chunk, n);
      crc.update(chunk, 0, n);
      left -= n;
    }
    return crc.getValue();
  }

  private static List<byte[]> sseEvents() {
    List<byte[]> events = new ArrayList<>();
    String[] words = {"Hal", "lo", ", ", "Welt", "! \u00e9"};
    for (String w : words) {
      events.add(("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
          + "\"delta\":{\"content\":\"" + w + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8));
    }
    events.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return Collections.unmodifiableList(events);
  }

  private static byte[] concat(List<byte[]> parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] all = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, off, p.length);
      off += p.length;
    }
    return all;
  }
}
