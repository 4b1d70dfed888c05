package dev.llmotel.it.app.overhead;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;

/**
 * Vert.x 5.0 WebClient: {@code postAbs(url)...sendBuffer(body)}, the future joined on the calling thread for each
 * call (the I/O and the body's aggregation run on Vert.x's event loop).
 */
final class VertxChat implements ChatClient {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private final String url;

  VertxChat(String url) {
    this.url = url;
  }

  @Override
  public int call() {
    return client.postAbs(url)
        .putHeader("Authorization", "Bearer sk-bench")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(ChatLoopApp.REQUEST))
        .toCompletionStage().toCompletableFuture().join()
        .body().length();
  }

  @Override
  public void close() {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
