package dev.llmotel.it.app.comparison;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The same chat completions server as the harness's ({@code AgentComparison.llmServer}), inside the app's JVM: a
 * chat completion, or a stream of {@code chunks} content chunks, a finish chunk, a usage chunk and {@code [DONE]}.
 * Used when the app is given {@code inprocess} as its URL ({@code -Dbench.server=inprocess} in the harness).
 */
final class LlmServer {
  static final byte[] CHAT = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1741569952,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Hello from the benchmark server.\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18,\"prompt_tokens_details\":"
      + "{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}},\"service_tier\":\"default\","
      + "\"system_fingerprint\":\"fp_bench\"}").getBytes(StandardCharsets.UTF_8);

  private LlmServer() {}

  /** Starts the server; returns it (its base URL: {@code http://127.0.0.1:<port>}). */
  static HttpServer start(long latencyMillis, int chunks) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true"); // else delayed ACKs add ~40 ms per call
    byte[][] stream = streamChunks(chunks);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/chat/completions", exchange -> {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      boolean streamed = new String(body, StandardCharsets.UTF_8).replace(" ", "").contains("\"stream\":true");
      if (latencyMillis > 0) {
        try {
          Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (streamed) {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          for (byte[] chunk : stream) {
            out.write(chunk);
            out.flush();
          }
        }
      } else {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, CHAT.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(CHAT);
        }
      }
    });
    server.start();
    return server;
  }

  private static byte[][] streamChunks(int n) {
    String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_bench\",";
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String delta = (i == 0 ? "\"role\":\"assistant\"," : "") + "\"content\":\"word" + i + " \"";
      chunks.add((head + "\"choices\":[{\"index\":0,\"delta\":{" + delta + "},\"logprobs\":null,"
          + "\"finish_reason\":null}],\"usage\":null}\n\n").getBytes(StandardCharsets.UTF_8));
    }
    chunks.add((head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":null}\n\n").getBytes(StandardCharsets.UTF_8));
    chunks.add((head + "\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":" + n
        + ",\"total_tokens\":" + (11 + n) + "}}\n\n").getBytes(StandardCharsets.UTF_8));
    chunks.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return chunks.toArray(new byte[0][]);
  }
}
