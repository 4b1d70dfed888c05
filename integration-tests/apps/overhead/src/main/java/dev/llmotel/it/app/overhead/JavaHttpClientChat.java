package dev.llmotel.it.app.overhead;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * java.net.http: {@code send(request, BodyHandlers.ofString())}; one immutable request for every call. HTTP/1.1 as
 * the other clients speak over cleartext (the default HTTP/2 would offer an h2c upgrade the server ignores).
 */
final class JavaHttpClientChat implements ChatClient {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final HttpRequest request;

  JavaHttpClientChat(String url) {
    request = HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer sk-bench")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ChatLoopApp.REQUEST))
        .build();
  }

  @Override
  public int call() throws Exception {
    // the body is ASCII: its length in chars is its length in bytes
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body().length();
  }

  @Override
  public void close() {
    // HttpClient.close() exists only from JDK 21; its threads are daemons
  }
}
