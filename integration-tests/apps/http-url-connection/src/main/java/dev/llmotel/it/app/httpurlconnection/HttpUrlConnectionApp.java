package dev.llmotel.it.app.httpurlconnection;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Sample app on {@code java.net.HttpURLConnection}, used the ways applications use it. Argument: the simulator's base
 * URL. Compiled for Java 8 (its test also runs it on a JDK 8 where one is installed). Prints statuses, bodies and stream lines verbatim, so a changed byte shows up as changed output.
 *
 * <ul>
 *   <li>chat: buffered body, {@code getResponseCode()}, then {@code getInputStream()};
 *   <li>stream: as Spring's {@code SimpleClientHttpRequestFactory} does it: fixed-length streaming, {@code connect()}
 *       first, {@code getErrorStream()} (null) before {@code getInputStream()}; lines read through a
 *       {@code BufferedReader} up to {@code [DONE]};
 *   <li>abandoned: chunked streaming, a long stream closed after two data lines;
 *   <li>rate-limited: {@code getInputStream()} throws for the 429, the body is read from {@code getErrorStream()}.
 * </ul>
 */
public final class HttpUrlConnectionApp {
  private static final String MESSAGES =
      "\"messages\":[{\"role\":\"system\",\"content\":\"You are a test.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]";

  private HttpUrlConnectionApp() {}

  public static void main(String[] args) {
    String url = args[0] + "/v1/chat/completions";
    run("chat", () -> chat(url, "{\"model\":\"gpt-4o-mini\"," + MESSAGES + "}"));
    run("stream", () -> stream(url,
        "{\"model\":\"gpt-4o-mini\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
    run("abandoned", () -> abandon(url, "{\"model\":\"sim-long\"," + MESSAGES + ",\"stream\":true}"));
    run("rate-limited", () -> rateLimited(url, "{\"model\":\"sim-429\"," + MESSAGES + "}"));
    System.out.println("done");
  }

  private static HttpURLConnection open(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Authorization", "Bearer sk-test");
    connection.setRequestProperty("Content-Type", "application/json");
    connection.setReadTimeout(30_000);
    return connection;
  }

  private static void write(HttpURLConnection connection, byte[] body) throws IOException {
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
  }

  private static void chat(String url, String json) throws IOException {
    HttpURLConnection connection = open(url);
    write(connection, json.getBytes(StandardCharsets.UTF_8));
    System.out.println("status: " + connection.getResponseCode());
    try (InputStream in = connection.getInputStream()) {
      System.out.println("body: " + readAll(in));
    }
  }

  private static void stream(String url, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    HttpURLConnection connection = open(url);
    connection.setFixedLengthStreamingMode(body.length);
    connection.connect();
    write(connection, body);
    System.out.println("status: " + connection.getResponseCode());
    InputStream error = connection.getErrorStream();
    System.out.println("error stream: " + (error != null));
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(error != null ? error : connection.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isEmpty()) continue;
        System.out.println("line: " + line);
        if (line.equals("data: [DONE]")) break;
      }
    }
  }

  private static void abandon(String url, String json) throws IOException {
    HttpURLConnection connection = open(url);
    connection.setChunkedStreamingMode(1024);
    write(connection, json.getBytes(StandardCharsets.UTF_8));
    System.out.println("status: " + connection.getResponseCode());
    InputStream in = connection.getInputStream();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int data = 0;
    for (String line; data < 2 && (line = reader.readLine()) != null; ) {
      if (line.isEmpty()) continue;
      data++;
      System.out.println("line: " + line);
    }
    reader.close();
    System.out.println("closed after " + data + " lines");
  }

  private static void rateLimited(String url, String json) throws IOException {
    HttpURLConnection connection = open(url);
    write(connection, json.getBytes(StandardCharsets.UTF_8));
    try {
      connection.getInputStream().close();
      System.out.println("no error");
    } catch (IOException e) {
      System.out.println("getInputStream threw " + e.getClass().getName());
      System.out.println("status: " + connection.getResponseCode());
      try (InputStream error = connection.getErrorStream()) {
        System.out.println("error body: " + readAll(error));
      }
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) != -1; ) out.write(buf, 0, n);
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
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
