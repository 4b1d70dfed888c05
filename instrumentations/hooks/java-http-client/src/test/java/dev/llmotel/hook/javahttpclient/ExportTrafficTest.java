package dev.llmotel.hook.javahttpclient;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.config.ExportThreads;
import dev.llmotel.exchange.Exchanges;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's own export (java.net.http on its export threads) never begins an exchange, even one a dialect wants. */
class ExportTrafficTest {
  private final AtomicInteger offered = new AtomicInteger();

  @AfterEach
  void uninstall() {
    Exchanges.install(null);
  }

  private Object enter() {
    // a factory that would take every request, as a dialect claiming the export's path would
    Exchanges.install(request -> {
      offered.incrementAndGet();
      return new RecordingExchange(request, java.util.Collections.<String, String>emptyMap());
    });
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    Object[] args = {request, HttpResponse.BodyHandlers.ofString()};
    return new JdkHttpSendHook().enter(HttpClient.newHttpClient(), args);
  }

  @Test
  void anApplicationThreadsCallBegins() {
    assertNotNull(enter());
    assertEquals(1, offered.get());
  }

  @Test
  void anExportThreadsCallIsLeftAlone() throws Exception {
    ExecutorService export = Executors.newSingleThreadExecutor(ExportThreads.factory());
    try {
      CompletableFuture<Object> token = CompletableFuture.supplyAsync(this::enter, export);
      assertNull(token.get(10, TimeUnit.SECONDS));
      assertEquals(0, offered.get(), "not even offered to the dialects");
    } finally {
      export.shutdownNow();
    }
  }
}
