package dev.llmotel.hook.reactornetty.v1;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The hook test kit's contract through Spring's {@code WebClient} on {@code ReactorClientHttpConnector}, with the
 * advice woven into Reactor Netty: {@code retrieve()} with every status passed through, {@code toEntityFlux} of
 * {@code DataBuffer}s read (and released) piece by piece as the application asks for them.
 */
class WebClientHookTest extends AbstractHookTest {
  @Override
  protected HookClient createClient() {
    WovenReactorNetty.install();
    return new SpringClient();
  }

  @AfterAll
  void noBufferLeaked() throws Exception {
    ReactorNettyHookTest.assertNoLeaks();
  }

  static final class SpringClient implements HookClient {
    private final ConnectionProvider pool = ConnectionProvider.builder("webclient-test").maxConnections(4).build();
    private final WebClient web = WebClient.builder()
        .clientConnector(new ReactorClientHttpConnector(HttpClient.create(pool).responseTimeout(Duration.ofSeconds(20))))
        .build();

    /** WebClient wraps a connection failure in its own {@code WebClientRequestException}; a body's break is Netty's. */
    @Override
    public Class<? extends Throwable> transportException() {
      return Exception.class;
    }

    @Override
    public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
      ResponseEntity<Flux<DataBuffer>> entity;
      try {
        entity = web.post().uri(uri)
            .headers(h -> headers.forEach(h::set))
            .bodyValue(body)
            .retrieve()
            .onStatus(status -> true, response -> Mono.empty())
            .toEntityFlux(DataBuffer.class)
            .block(Duration.ofSeconds(30));
      } catch (RuntimeException e) {
        throw ReactorNettyClient.unwrapped(e);
      }
      BlockingBody reader = new BlockingBody();
      entity.getBody().map(buffer -> {
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        DataBufferUtils.release(buffer);
        return (Object) bytes;
      }).subscribe(reader);
      return new HookResponse() {
        @Override public int status() { return entity.getStatusCode().value(); }
        @Override public String header(String name) { return entity.getHeaders().getFirst(name); }
        @Override public byte[] readAll() throws Exception { return reader.readAll(); }
        @Override public byte[] readExactly(int n) throws Exception { return reader.readExactly(n); }
        @Override public String readLine() throws Exception { return reader.readLine(); }
        @Override public void close() { reader.close(); }
      };
    }

    @Override
    public void close() {
      pool.disposeLater().block(Duration.ofSeconds(10));
    }
  }
}
