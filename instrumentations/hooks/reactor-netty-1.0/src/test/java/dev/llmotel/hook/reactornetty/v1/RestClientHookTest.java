package dev.llmotel.hook.reactornetty.v1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import dev.llmotel.testkit.hook.HookClient.HookResponse;
import dev.llmotel.testkit.hook.HookTestServer;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.SpringVersion;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The hook test kit's contract through Spring's blocking {@code RestClient} on {@code ReactorClientHttpRequestFactory}
 * (as Spring AI 1.x builds its calls when Reactor Netty is on the class path), with the advice woven into Reactor
 * Netty: every status passed through ({@code exchange} without the default status handler), the body read from the
 * response's {@code InputStream} (asked for when first read) as the application asks for it, that stream closed
 * early for an abandoned one.
 */
class RestClientHookTest extends AbstractHookTest {
  @Override
  protected HookClient createClient() {
    WovenReactorNetty.install();
    return new SpringRestClient();
  }

  @AfterAll
  void noBufferLeaked() throws Exception {
    ReactorNettyHookTest.assertNoLeaks();
  }

  @Test
  void runsTheSpringVersionThisSurefireRunIsFor() {
    assertEquals(System.getProperty("expected.spring.version"), SpringVersion.getVersion());
  }

  /**
   * The application reads the body only once the whole response has arrived, the usual case for a short JSON answer
   * sent in one write (as the LLM simulator and most servers send it): Spring takes the response from
   * {@code responseConnection(...).next().block()} and subscribes to the body when the application reads it, and
   * Reactor Netty 1.1.24+ has detached the response's operations from their context by then. The exchange still
   * sees every byte, for a 200 and for an error status whose body the application reads.
   */
  @ParameterizedTest
  @ValueSource(ints = {200, 429})
  void bodyReadOnlyAfterTheWholeResponseArrived(int status) throws Exception {
    byte[] body = status == 200 ? HookTestServer.JSON : HookTestServer.ERROR_JSON;
    try (OneWriteServer oneWrite = new OneWriteServer(status, body);
        SpringRestClient rest = new SpringRestClient()) {
      byte[] read;
      try (HookResponse response = rest.post(oneWrite.uri(), json(), REQUEST_JSON)) {
        assertEquals(status, response.status());
        Thread.sleep(300);
        read = response.readAll();
      }
      assertArrayEquals(body, read);
    }
    RecordedExchange exchange = exchanges.only();
    assertEquals(Kind.RESPONSE_BODY_END, exchange.awaitEnd(END_TIMEOUT_SECONDS, TimeUnit.SECONDS),
        exchange.toString());
    assertEquals(status, exchange.status());
    assertArrayEquals(body, exchange.responseBody().bytes(), "the body the application read");
    assertEquals(List.of(Kind.RESPONSE_BODY_END), exchange.terminalEvents());
  }

  /** Answers each request (keep-alive) with its head and body in one write. */
  static final class OneWriteServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    private final byte[] response;

    OneWriteServer(int status, byte[] body) throws IOException {
      byte[] head = ("HTTP/1.1 " + status + (status == 200 ? " OK" : " Too Many Requests")
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      response = new byte[head.length + body.length];
      System.arraycopy(head, 0, response, 0, head.length);
      System.arraycopy(body, 0, response, head.length, body.length);
      Thread acceptor = new Thread(this::accept, "one-write-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1/chat/completions");
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          Thread t = new Thread(() -> serve(s), "one-write-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
        while (true) {
          StringBuilder head = new StringBuilder();
          while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) return;
            head.append((char) b);
          }
          int length = 0;
          for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              length = Integer.parseInt(line.substring(15).trim());
            }
          }
          in.readNBytes(length);
          out.write(response);
          out.flush();
        }
      } catch (IOException gone) {
        // the client closed the connection
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static final class SpringRestClient implements HookClient {
    private final ConnectionProvider pool = ConnectionProvider.builder("restclient-test").maxConnections(4).build();
    private final RestClient rest = RestClient.builder()
        .requestFactory(new ReactorClientHttpRequestFactory(
            HttpClient.create(pool).responseTimeout(Duration.ofSeconds(20))))
        .build();

    @Override
    public Class<? extends Throwable> transportException() {
      return Exception.class;
    }

    @Override
    public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
      ClientHttpResponse response = rest.post().uri(uri)
          .headers(h -> headers.forEach(h::set))
          .body(body)
          .exchange((request, r) -> r, false);
      return new HookResponse() {
        private InputStream in;

        /** The body's stream, asked of Spring when the application first reads or closes it. */
        private InputStream in() throws IOException {
          if (in == null) in = response.getBody();
          return in;
        }

        @Override public int status() {
          try {
            return response.getStatusCode().value();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        @Override public String header(String name) { return response.getHeaders().getFirst(name); }
        @Override public byte[] readAll() throws IOException { return in().readAllBytes(); }
        @Override public byte[] readExactly(int n) throws IOException { return in().readNBytes(n); }
        @Override public String readLine() throws IOException {
          ByteArrayOutputStream line = new ByteArrayOutputStream();
          int b = in().read();
          if (b < 0) return null;
          for (; b >= 0 && b != '\n'; b = in().read()) line.write(b);
          return line.toString(StandardCharsets.UTF_8);
        }
        /** Closes the body's stream (closing Spring's response instead would read the body to its end). */
        @Override public void close() throws Exception {
          InputStream body = in();
          awaitSubscribed(body);
          body.close();
        }
      };
    }

    /**
     * Spring's {@code SubscriberInputStream} throws on {@code close()} until the body's subscription arrived, which
     * Reactor Netty signals from the event loop after {@code getBody()} returned (without the agent as with it): an
     * application closing an unread body at once would see that exception, so this one waits for the subscription.
     */
    private static void awaitSubscribed(InputStream in) throws Exception {
      java.lang.reflect.Field field;
      try {
        field = in.getClass().getDeclaredField("subscription");
        field.setAccessible(true);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return;
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (field.get(in) == null && System.nanoTime() < deadline) Thread.sleep(1);
    }

    @Override
    public void close() {
      pool.disposeLater().block(Duration.ofSeconds(10));
    }
  }
}
