package dev.llmotel.it.app.overhead;

import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;

/**
 * Reactor Netty 1.3: {@code post().uri(url).send(...).responseSingle((response, body) -> body.asByteArray())}, then
 * {@code block()} on the calling thread for each call (the I/O runs on Reactor Netty's event loop).
 */
final class ReactorNettyChat implements ChatClient {
  private final HttpClient client = HttpClient.create()
      .headers(h -> h.set("Authorization", "Bearer sk-bench").set("Content-Type", "application/json"));
  private final String url;

  ReactorNettyChat(String url) {
    this.url = url;
  }

  @Override
  public int call() {
    return client.post().uri(url)
        .send(ByteBufMono.fromString(Mono.just(ChatLoopApp.REQUEST))) // a Mono: sent with Content-Length
        .responseSingle((response, body) -> body.asByteArray())
        .map(bytes -> bytes.length)
        .block();
  }

  @Override
  public void close() {
    // the default connection pool and event loops are shared resources of daemon threads
  }
}
