package dev.llmotel.it.app.apachehttpclient5;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.AbstractCharResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;

/**
 * Sample app on Apache HttpClient 5.6, classic and async, against the simulator's chat completions: a chat, a stream
 * (with usage), a stream abandoned after two events, and a 429, once with each API. The classic calls ask for
 * {@code max_tokens} 64, the async ones 128 (so the test tells their spans apart). Argument: the simulator's base URL.
 * Prints bodies and stream lines verbatim, from the main thread only, so the output does not depend on timing.
 */
public final class ApacheHttpClient5App {
  private static final String MESSAGES = "\"messages\":[{\"role\":\"system\",\"content\":\"You are a test.\"},"
      + "{\"role\":\"user\",\"content\":\"Say hello.\"}]";
  private static final String USAGE = ",\"stream\":true,\"stream_options\":{\"include_usage\":true}";

  private ApacheHttpClient5App() {}

  public static void main(String[] args) throws Exception {
    String url = args[0] + "/v1/chat/completions";
    // no automatic retries: the 429 is the application's to see, once
    try (CloseableHttpClient classic = HttpClients.custom().disableAutomaticRetries().build();
        CloseableHttpClient minimal = HttpClients.createMinimal()) {
      run("classic-chat", () -> classicChat(classic, url, body("gpt-4o-mini", 64, "")));
      run("classic-stream", () -> classicStream(classic, url, body("gpt-4o-mini", 64, USAGE), Integer.MAX_VALUE));
      run("classic-abandoned", () -> classicStream(minimal, url, body("sim-long", 64, ",\"stream\":true"), 2));
      run("classic-rate-limited", () -> classicChat(classic, url, body("sim-429", 64, "")));
    }
    CloseableHttpAsyncClient async = HttpAsyncClients.custom().disableAutomaticRetries().build();
    CloseableHttpAsyncClient asyncMinimal = HttpAsyncClients.createMinimal();
    async.start();
    asyncMinimal.start();
    try {
      run("async-chat", () -> asyncChat(async, url, body("gpt-4o-mini", 128, "")));
      run("async-stream", () -> asyncStream(async, url, body("gpt-4o-mini", 128, USAGE), Integer.MAX_VALUE));
      run("async-abandoned", () -> asyncStream(asyncMinimal, url, body("sim-long", 128, ",\"stream\":true"), 2));
      run("async-rate-limited", () -> asyncChat(async, url, body("sim-429", 128, "")));
    } finally {
      async.close(CloseMode.GRACEFUL);
      asyncMinimal.close(CloseMode.GRACEFUL);
    }
    System.out.println("done");
  }

  private static String body(String model, int maxTokens, String more) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + "," + MESSAGES + more + "}";
  }

  private static HttpPost post(String url, String json) {
    HttpPost post = new HttpPost(url);
    post.setHeader("Authorization", "Bearer sk-test");
    post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
    return post;
  }

  /** {@code execute(request, handler)}: the handler reads the body, the client closes the response. */
  private static void classicChat(CloseableHttpClient client, String url, String json) throws Exception {
    String[] result = client.execute(post(url, json),
        response -> new String[] {String.valueOf(response.getCode()), EntityUtils.toString(response.getEntity())});
    System.out.println("status: " + result[0]);
    System.out.println("body: " + result[1]);
  }

  /** {@code execute(request)}: reads the SSE lines, and closes the response after {@code events} data lines. */
  @SuppressWarnings("deprecation")
  private static void classicStream(CloseableHttpClient client, String url, String json, int events)
      throws Exception {
    try (CloseableHttpResponse response = client.execute(post(url, json));
        BufferedReader reader = new BufferedReader(
            new InputStreamReader(response.getEntity().getContent(), StandardCharsets.UTF_8))) {
      System.out.println("status: " + response.getCode());
      int seen = 0;
      for (String line; seen < events && (line = reader.readLine()) != null; ) {
        if (line.isEmpty()) continue;
        System.out.println("line: " + line);
        seen++;
        if (line.equals("data: [DONE]")) break;
      }
      if (seen == events) System.out.println("closed after " + events + " events");
    }
  }

  private static SimpleHttpRequest request(String url, String json) {
    return SimpleRequestBuilder.post(url)
        .addHeader("Authorization", "Bearer sk-test")
        .setBody(json, ContentType.APPLICATION_JSON)
        .build();
  }

  /** {@code SimpleHttpRequest} and {@code SimpleHttpResponse}: the body whole. */
  private static void asyncChat(CloseableHttpAsyncClient client, String url, String json) throws Exception {
    SimpleHttpResponse response = client.execute(request(url, json), null).get(30, TimeUnit.SECONDS);
    System.out.println("status: " + response.getCode());
    System.out.println("body: " + response.getBodyText());
  }

  /**
   * A streaming consumer that hands each line over as it is decoded; the main thread prints them, and cancels the
   * call after {@code events} data lines.
   */
  private static void asyncStream(CloseableHttpAsyncClient client, String url, String json, int events)
      throws Exception {
    LineConsumer consumer = new LineConsumer();
    Future<Void> future = client.execute(SimpleRequestProducer.create(request(url, json)), consumer, null);
    System.out.println("status: " + consumer.status.poll(30, TimeUnit.SECONDS));
    int seen = 0;
    while (seen < events) {
      String line = consumer.lines.poll(30, TimeUnit.SECONDS);
      if (line == null || line.equals(LineConsumer.END)) break;
      if (line.isEmpty()) continue;
      System.out.println("line: " + line);
      seen++;
    }
    if (seen == events) {
      future.cancel(true);
      System.out.println("cancelled after " + events + " events");
    } else {
      future.get(30, TimeUnit.SECONDS);
    }
  }

  /** The application's consumer: UTF-8 text, split into lines, handed to the main thread (never blocks). */
  static final class LineConsumer extends AbstractCharResponseConsumer<Void> {
    static final String END = "\u0000end";
    final BlockingQueue<Integer> status = new LinkedBlockingQueue<>();
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
      setCharset(StandardCharsets.UTF_8);
      status.add(response.getCode());
    }

    @Override
    protected int capacityIncrement() {
      return Integer.MAX_VALUE;
    }

    @Override
    protected void data(CharBuffer src, boolean endOfStream) {
      partial.append(src);
      src.position(src.limit());
      for (int nl; (nl = partial.indexOf("\n")) >= 0; ) {
        lines.add(partial.substring(0, nl));
        partial.delete(0, nl + 1);
      }
      if (endOfStream) {
        if (partial.length() > 0) lines.add(partial.toString());
        lines.add(END);
      }
    }

    @Override
    protected Void buildResult() {
      return null;
    }

    @Override
    public void releaseResources() {}
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
