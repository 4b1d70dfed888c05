package dev.llmotel.hook.javahttpclient;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local server with three bodies: JSON, a delayed SSE stream, and a large binary body. Records what it received.
 */
final class LlmTestServer implements AutoCloseable {
  static final byte[] JSON = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hallo, Welt! \u00e9\u4e16\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}")
      .getBytes(StandardCharsets.UTF_8);
  static final List<byte[]> SSE_EVENTS = sseEvents();
  static final byte[] SSE = concat(SSE_EVENTS);
  static final byte[] LARGE = large(6 * 1024 * 1024 + 123);

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  /** The SSE handler sends its last event only when this opens (or after 5 s), to prove bytes stream through. */
  volatile CountDownLatch sseGate = new CountDownLatch(0);
  volatile byte[] lastRequestBody;
  volatile List<String> lastTraceparents;

  LlmTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/v1/chat/completions", ex -> respond(ex, "application/json", JSON));
    server.createContext("/v1/large", ex -> respond(ex, "application/octet-stream", LARGE));
    server.createContext("/v1/stream", this::stream);
    server.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private void record(HttpExchange ex) throws IOException {
    List<String> traceparents = ex.getRequestHeaders().get("traceparent");
    lastTraceparents = traceparents == null ? new ArrayList<>() : new ArrayList<>(traceparents);
    try (InputStream in = ex.getRequestBody()) {
      lastRequestBody = in.readAllBytes();
    }
  }

  private void respond(HttpExchange ex, String contentType, byte[] body) throws IOException {
    try {
      record(ex);
      ex.getResponseHeaders().set("Content-Type", contentType);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        for (int off = 0; off < body.length; off += 64 * 1024) out.write(body, off, Math.min(64 * 1024, body.length - off));
      }
    } catch (IOException clientWentAway) {
      // early-close tests
    } finally {
      ex.close();
    }
  }

  private void stream(HttpExchange ex) throws IOException {
    try {
      record(ex);
      ex.getResponseHeaders().set("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      for (int i = 0; i < SSE_EVENTS.size(); i++) {
        if (i == SSE_EVENTS.size() - 1) sseGate.await(5, TimeUnit.SECONDS);
        else if (i > 0) Thread.sleep(20);
        out.write(SSE_EVENTS.get(i));
        out.flush();
      }
      out.close();
    } catch (IOException | InterruptedException clientWentAway) {
      // early-close tests
    } finally {
      ex.close();
    }
  }

  private static List<byte[]> sseEvents() {
    List<byte[]> events = new ArrayList<>();
    String[] words = {"Hal", "lo", ", ", "Welt", "!"};
    for (String w : words) {
      events.add(("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
          + "\"delta\":{\"content\":\"" + w + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8));
    }
    events.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return events;
  }

  private static byte[] concat(List<byte[]> parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] all = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, off, p.length);
      off += p.length;
    }
    return all;
  }

  private static byte[] large(int size) {
    byte[] b = new byte[size];
    new Random(42).nextBytes(b);
    return b;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
