package dev.llmotel.it.app.javahttpclient;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Sample app on raw {@code java.net.http}. Arguments: the simulator's base URL, and optionally {@code huge-only} to
 * run just the 50 MB scenario (for the small-heap run). Prints bodies and stream lines verbatim.
 */
public final class JavaHttpClientApp {
  private static final String MESSAGES =
      "\"messages\":[{\"role\":\"system\",\"content\":\"You are a test.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]";

  private JavaHttpClientApp() {}

  public static void main(String[] args) {
    String base = args[0] + "/v1";
    boolean hugeOnly = args.length > 1 && args[1].equals("huge-only");
    HttpClient client = HttpClient.newHttpClient();
    String chat = base + "/chat/completions";
    if (!hugeOnly) {
      run("send-ofString", () -> ofString(client, chat, "{\"model\":\"gpt-4o-mini\"," + MESSAGES + "}"));
      run("sendAsync-ofInputStream", () -> asyncInputStream(client, chat,
          "{\"model\":\"gpt-4o-mini\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
      run("send-ofLines", () -> ofLines(client, chat,
          "{\"model\":\"gpt-4o-mini\"," + MESSAGES + ",\"stream\":true}"));
      run("embeddings", () -> ofString(client, base + "/embeddings",
          "{\"model\":\"text-embedding-3-small\",\"input\":\"The food was delicious\",\"encoding_format\":\"float\"}"));
    }
    run("huge", () -> hash(client, chat, "{\"model\":\"sim-huge\"," + MESSAGES + "}"));
    System.out.println("done");
  }

  private static HttpRequest post(String url, String json) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer sk-test")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private static void ofString(HttpClient client, String url, String json) throws Exception {
    HttpResponse<String> response = client.send(post(url, json), HttpResponse.BodyHandlers.ofString());
    System.out.println("status: " + response.statusCode());
    System.out.println("body: " + response.body());
  }

  private static void asyncInputStream(HttpClient client, String url, String json) throws Exception {
    HttpResponse<InputStream> response = client.sendAsync(post(url, json), HttpResponse.BodyHandlers.ofInputStream())
        .get(30, TimeUnit.SECONDS);
    System.out.println("status: " + response.statusCode());
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isEmpty()) continue;
        System.out.println("line: " + line);
        if (line.equals("data: [DONE]")) break;
      }
    }
  }

  private static void ofLines(HttpClient client, String url, String json) throws Exception {
    HttpResponse<Stream<String>> response = client.send(post(url, json), HttpResponse.BodyHandlers.ofLines());
    System.out.println("status: " + response.statusCode());
    try (Stream<String> lines = response.body()) {
      lines.filter(line -> !line.isEmpty()).forEach(line -> System.out.println("line: " + line));
    }
  }

  private static void hash(HttpClient client, String url, String json) throws Exception {
    HttpResponse<InputStream> response = client.send(post(url, json), HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long bytes = 0;
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = response.body()) {
      for (int n; (n = in.read(buf)) != -1; bytes += n) sha.update(buf, 0, n);
    }
    System.out.println("status: " + response.statusCode());
    System.out.println("sha256: " + HexFormat.of().formatHex(sha.digest()) + " bytes: " + bytes);
  }

  interface Scenario {
    void run() throws Exception;
  }

  private static void run(String name, Scenario scenario) {
    System.out.println("== " + name);
    try {
      scenario.run();
    } catch (Exception e) {
      System.out.println("exception: " + e.getClass().getName());
    }
  }
}
