package dev.llmotel.it.app.okhttp;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Sample app on raw OkHttp 4, compiled for Java 8 (its test also runs it on a JDK 8 where one is installed). Arguments: the simulator's base URL, and optionally {@code huge-only} to run just the
 * 50 MB scenario (for the small-heap run), or {@code abandon-idle} to read the first line of a long, slow stream
 * and then leave the response unread and unclosed for 1.5 s before exiting. Prints response bodies and stream lines verbatim, so a changed byte
 * shows up as changed output.
 */
public final class OkHttpApp {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String MESSAGES =
      "\"messages\":[{\"role\":\"system\",\"content\":\"You are a test.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]";

  private OkHttpApp() {}

  public static void main(String[] args) throws Exception {
    String url = args[0] + "/v1/chat/completions";
    boolean hugeOnly = args.length > 1 && args[1].equals("huge-only");
    OkHttpClient client = new OkHttpClient();
    if (args.length > 1 && args[1].equals("abandon-idle")) {
      run("abandon-idle", () -> leaveStreamIdle(client, url, "{\"model\":\"sim-long\"," + MESSAGES
          + ",\"stream\":true}"));
      client.dispatcher().executorService().shutdown();
      System.out.println("done");
      return;
    }
    if (!hugeOnly) {
      run("chat", () -> printBody(client, url, "{\"model\":\"gpt-4o-mini\"," + MESSAGES + "}"));
      run("stream", () -> printStream(client, url,
          "{\"model\":\"gpt-4o-mini\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
    }
    run("huge", () -> hashBody(client, url, "{\"model\":\"sim-huge\"," + MESSAGES + "}"));
    if (!hugeOnly) run("rate-limited", () -> printBody(client, url, "{\"model\":\"sim-429\"," + MESSAGES + "}"));
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    System.out.println("done");
  }

  private static Request post(String url, String json) {
    return new Request.Builder().url(url)
        .header("Authorization", "Bearer sk-test")
        .post(RequestBody.create(json, JSON))
        .build();
  }

  private static void printBody(OkHttpClient client, String url, String json) throws IOException {
    try (Response response = client.newCall(post(url, json)).execute()) {
      System.out.println("status: " + response.code());
      System.out.println("body: " + response.body().string());
    }
  }

  private static void printStream(OkHttpClient client, String url, String json) throws IOException {
    try (Response response = client.newCall(post(url, json)).execute()) {
      System.out.println("status: " + response.code());
      BufferedSource source = response.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        if (line.isEmpty()) continue;
        System.out.println("line: " + line);
        if (line.equals("data: [DONE]")) break;
      }
    }
  }

  /** Reads the first line, then neither reads on nor closes: the response is simply left behind. */
  private static void leaveStreamIdle(OkHttpClient client, String url, String json) throws Exception {
    Response response = client.newCall(post(url, json)).execute();
    System.out.println("status: " + response.code());
    String line = response.body().source().readUtf8Line();
    System.out.println("first line: " + line);
    Thread.sleep(1500);
    System.out.println("left idle");
  }

  private static void hashBody(OkHttpClient client, String url, String json)
      throws IOException, NoSuchAlgorithmException {
    try (Response response = client.newCall(post(url, json)).execute()) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long bytes = 0;
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = response.body().byteStream()) {
        for (int n; (n = in.read(buf)) != -1; bytes += n) sha.update(buf, 0, n);
      }
      System.out.println("status: " + response.code());
      System.out.println("sha256: " + hex(sha.digest()) + " bytes: " + bytes);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    return out.toString();
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
