package dev.llmotel.it.chatapp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A test app on {@code java.net.http} alone, launched from the test classes with {@code -cp}: the first argument is
 * the simulator's base URL, every further argument one chat completions request body, posted in order with
 * {@code send(ofString)}. Prints each status and body verbatim, then {@code done}. Lets a test choose the exact
 * prompt (a secret in it, a long text, tools) where the sample apps' prompts are fixed.
 */
public final class JavaHttpClientChatApp {
  private JavaHttpClientChatApp() {}

  public static void main(String[] args) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 1; i < args.length; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(args[0] + "/v1/chat/completions"))
          .header("Authorization", "Bearer sk-test")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(args[i]))
          .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      System.out.println("status: " + response.statusCode());
      System.out.println("body: " + response.body());
    }
    System.out.println("done");
  }
}
