package dev.llmotel.export.sender;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Retry-After} on a retryable answer, for the agent's HttpURLConnection sender and, side by side, for
 * OpenTelemetry's own java.net.http sender, whose behaviour it follows: the header's wait replaces the back-off, a
 * value it cannot read falls back to the back-off, and no wait goes past the export timeout.
 */
class RetryAfterTest {
  private static final long MS = 1_000_000L;

  private HttpServer server;
  /** When each request arrived (System.nanoTime) */
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  /** A backend that answers the first request {@code status} with {@code Retry-After: retryAfter}, then 200. */
  private URI backend(int status, String retryAfter) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", x -> {
      arrivals.add(System.nanoTime());
      x.getRequestBody().readAllBytes();
      if (arrivals.size() == 1) {
        x.getResponseHeaders().add("Retry-After", retryAfter);
        x.sendResponseHeaders(status, -1);
      } else {
        x.sendResponseHeaders(200, -1);
      }
      x.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  private static RetryPolicy backoff(long millis) {
    return RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofMillis(millis))
        .setMaxBackoff(Duration.ofMillis(millis)).build();
  }

  /** Sends 3 bytes; returns the status, after checking that {@code send} itself did not wait for the retries. */
  private static int send(String kind, TestConfig config) throws Exception {
    HttpSender sender = new AgentHttpSenderProvider(kind).createSender(config);
    CompletableFuture<Integer> status = new CompletableFuture<>();
    try {
      long start = System.nanoTime();
      sender.send(new MessageWriter() {
        @Override
        public void writeMessage(OutputStream out) throws IOException {
          out.write(new byte[] {1, 2, 3});
        }

        @Override
        public int getContentLength() {
          return 3;
        }
      }, (HttpResponse r) -> status.complete(r.getStatusCode()), status::completeExceptionally);
      long sendMillis = (System.nanoTime() - start) / MS;
      assertTrue(sendMillis < 500, sendMillis + " ms in send(): the caller's thread never waits for a retry");
      return status.get(20, TimeUnit.SECONDS);
    } finally {
      sender.shutdown();
    }
  }

  private long gapMillis() {
    assertEquals(2, arrivals.size(), "attempts");
    return (arrivals.get(1) - arrivals.get(0)) / MS;
  }

  @ParameterizedTest
  @CsvSource({"url-connection, 429", "url-connection, 503", "jdk, 429"})
  void retryAfterSecondsIsWaitedThenTheRetrySucceeds(String kind, int status) throws Exception {
    URI uri = backend(status, "1");
    assertEquals(200, send(kind, new TestConfig(uri, Duration.ofSeconds(10), backoff(10))));
    long gap = gapMillis();
    assertTrue(gap >= 950 && gap < 3000, gap + " ms between the attempts: Retry-After's 1 s, not the 10 ms back-off");
  }

  @ParameterizedTest
  @ValueSource(strings = {"url-connection", "jdk"})
  void retryAfterAsAnHttpDateIsWaited(String kind) throws Exception {
    // the date has whole seconds: 3 s from now is between 2 and 3 s away when written, at least ~1.5 s when the
    // first attempt's answer arrives even on a slow, cold start (the 10 ms back-off would be far below that)
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3));
    URI uri = backend(429, date);
    assertEquals(200, send(kind, new TestConfig(uri, Duration.ofSeconds(10), backoff(10))));
    long gap = gapMillis();
    assertTrue(gap >= 500 && gap < 4000, gap + " ms between the attempts for Retry-After: " + date);
  }

  /** A day's Retry-After against a 1 s export timeout: the export gives up at 1 s with the backend's answer. */
  @ParameterizedTest
  @CsvSource({"url-connection, 86400", "url-connection, 'Fri, 31 Dec 2100 23:59:59 GMT'", "jdk, 86400"})
  void aHugeRetryAfterIsCappedByTheExportTimeout(String kind, String retryAfter) throws Exception {
    URI uri = backend(429, retryAfter);
    long start = System.nanoTime();
    assertEquals(429, send(kind, new TestConfig(uri, Duration.ofSeconds(1), backoff(10))), "the last answer");
    long millis = (System.nanoTime() - start) / MS;
    assertEquals(1, arrivals.size(), "no attempt after the timeout");
    assertTrue(millis >= 900 && millis < 3000, millis + " ms: the 1 s timeout, not the day, ended the wait");
  }

  /** What is not a number of seconds >= 0 nor an HTTP-date is ignored: the 300 ms back-off (with 0.8-1.2 jitter). */
  @ParameterizedTest
  @CsvSource({"url-connection, soon", "url-connection, -1", "url-connection, 1.5", "url-connection, ''",
      "jdk, soon"})
  void anInvalidRetryAfterFallsBackToTheBackoff(String kind, String retryAfter) throws Exception {
    URI uri = backend(503, retryAfter);
    assertEquals(200, send(kind, new TestConfig(uri, Duration.ofSeconds(10), backoff(300))));
    long gap = gapMillis();
    assertTrue(gap >= 230 && gap < 2000, gap + " ms between the attempts for Retry-After: '" + retryAfter + "'");
  }
}
