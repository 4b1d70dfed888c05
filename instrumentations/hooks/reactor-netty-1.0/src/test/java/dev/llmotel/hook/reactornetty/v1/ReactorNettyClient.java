package dev.llmotel.hook.reactornetty.v1;

import dev.llmotel.testkit.hook.HookClient;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Raw Reactor Netty {@code HttpClient} used as an application uses it, with the advice woven into the real classes.
 * The request body goes out as a {@code ByteBufFlux} of several buffers. Streamed: {@code response((response,
 * content) -> ...)} with {@code content.asByteArray()} read piece by piece as the application asks; aggregated:
 * {@code responseSingle} with {@code asByteArray()}, blocked on.
 */
final class ReactorNettyClient implements HookClient {
  private final ConnectionProvider pool = ConnectionProvider.builder("hook-test").maxConnections(4).build();
  private final HttpClient http;
  private final boolean aggregate;

  ReactorNettyClient(boolean aggregate) {
    WovenReactorNetty.install();
    this.aggregate = aggregate;
    this.http = HttpClient.create(pool).responseTimeout(Duration.ofSeconds(20));
  }

  @Override
  public boolean streamsBody() {
    return !aggregate;
  }

  @Override
  public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
    HttpClient.ResponseReceiver<?> receiver = http.headers(h -> headers.forEach(h::set))
        .post()
        .uri(uri.toString())
        .send(ByteBufFlux.fromInbound(Flux.defer(() ->
            Flux.fromArray(BlockingBody.pieces(body, body.length > 64 * 1024 ? 32 : 3)).map(Unpooled::wrappedBuffer))));
    if (aggregate) {
      Whole whole;
      try {
        whole = receiver.responseSingle((response, content) -> content.asByteArray()
                .defaultIfEmpty(new byte[0])
                .map(bytes -> new Whole(response.status().code(), response.responseHeaders(), bytes)))
            .block(Duration.ofSeconds(30));
      } catch (RuntimeException e) {
        throw unwrapped(e);
      }
      return whole.response();
    }
    BlockingBody reader = new BlockingBody();
    receiver.response((response, content) -> Flux.<Object>just(new Head(response.status().code(),
        response.responseHeaders())).concatWith(content.asByteArray())).subscribe(reader);
    Head head = (Head) reader.next();
    return head.response(reader);
  }

  static Exception unwrapped(RuntimeException e) {
    Throwable t = Exceptions.unwrap(e);
    return t instanceof Exception ? (Exception) t : e;
  }

  @Override
  public void close() {
    pool.disposeLater().block(Duration.ofSeconds(10));
  }

  /** Status and headers, as the application keeps them. */
  record Head(int status, HttpHeaders headers) {
    HookResponse response(BlockingBody reader) {
      return new HookResponse() {
        @Override public int status() { return status; }
        @Override public String header(String name) { return headers.get(name); }
        @Override public byte[] readAll() throws Exception { return reader.readAll(); }
        @Override public byte[] readExactly(int n) throws Exception { return reader.readExactly(n); }
        @Override public String readLine() throws Exception { return reader.readLine(); }
        @Override public void close() { reader.close(); }
      };
    }
  }

  /** A response whose body the client aggregated before the application got it. */
  record Whole(int status, HttpHeaders headers, byte[] body) {
    HookResponse response() {
      BlockingBody reader = new BlockingBody();
      Mono.just((Object) body).subscribe(reader);
      return new Head(status, headers).response(reader);
    }
  }
}
