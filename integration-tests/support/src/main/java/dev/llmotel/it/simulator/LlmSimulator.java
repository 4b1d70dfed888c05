package dev.llmotel.it.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local OpenAI-compatible server on loopback (random port) for {@code POST /v1/chat/completions} and
 * {@code POST /v1/embeddings}. The request's {@code model} picks the behaviour:
 * <ul>
 *   <li>{@code gpt-4o-mini}: a completion, or with {@code stream: true} an SSE stream (role chunk, three content
 *       chunks, finish chunk, a usage chunk when {@code stream_options.include_usage}, {@code [DONE]});</li>
 *   <li>{@code text-embedding-3-small}: 8-dimension vectors, as floats or base64 ({@code encoding_format});</li>
 *   <li>{@code sim-429} / {@code sim-500}: OpenAI error bodies with that status;</li>
 *   <li>{@code sim-flaky}: two 429s in a row ({@code retry-after-ms: 10}), then the {@code gpt-4o-mini} answer (the
 *       count starts again after it): for clients that retry;</li>
 *   <li>{@code sim-flaky-mixed}: a 429, then a 500 (both {@code retry-after-ms: 10}), then the {@code gpt-4o-mini}
 *       answer (the count starts again after it): for clients that retry both;</li>
 *   <li>{@code sim-truncated}: a stream of two content chunks whose body then ends (no finish, no {@code [DONE]})
 *       and whose connection is closed;</li>
 *   <li>{@code sim-slow}: the complete stream with {@value #SLOW_GAP_MILLIS} ms before every chunk;</li>
 *   <li>{@code sim-long}: twenty content chunks {@value #SLOW_GAP_MILLIS} ms apart, for apps that abandon it;</li>
 *   <li>{@code sim-huge}: a non-streamed completion of about 50 MB, written without being held in memory.</li>
 * </ul>
 * Other providers' routes ({@link ProviderRoutes}: Anthropic's {@code POST /v1/messages}, see {@link AnthropicRoutes})
 * are registered by one line each and asked first. Every request is recorded with its headers (to check
 * {@code traceparent}).
 */
public final class LlmSimulator implements AutoCloseable {
  public static final long SLOW_GAP_MILLIS = 150;
  /** Answered {@value #FLAKY_FAILURES} times with a 429 ({@code retry-after-ms: 10}), then as {@code gpt-4o-mini}. */
  public static final String FLAKY_MODEL = "sim-flaky";
  public static final int FLAKY_FAILURES = 2;
  private final java.util.concurrent.atomic.AtomicInteger flakyFailures = new java.util.concurrent.atomic.AtomicInteger();
  /** Answered with a 429, then a 500 (both {@code retry-after-ms: 10}), then as the model's answer; then again. */
  public static final String MIXED_FLAKY_MODEL = "sim-flaky-mixed";
  private final java.util.concurrent.atomic.AtomicInteger mixedFailures = new java.util.concurrent.atomic.AtomicInteger();
  public static final int LONG_STREAM_PIECES = 20;
  public static final String TRUNCATED_MODEL = "sim-truncated";
  public static final List<String> TRUNCATED_PIECES = List.of("Hello", " from");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  /** LibreChat's API (login, chat turns, streams, status, abort): state per simulator, so its own field. */
  private final LibreChatRoutes librechat = new LibreChatRoutes();
  /** Other providers' protocols, one line each, asked before the OpenAI routes. */
  private final List<ProviderRoutes> providers = List.of(
      new AnthropicRoutes(),
      new BedrockRoutes(),
      new GeminiRoutes(),
      new AudioRoutes(),
      new TwirpRoutes());

  private LlmSimulator(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a simulator on 127.0.0.1 and a free port. */
  public static LlmSimulator start() throws IOException {
    // without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: ~40 ms per call
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "llm-simulator");
      t.setDaemon(true);
      return t;
    });
    LlmSimulator simulator = new LlmSimulator(server, executor);
    server.createContext("/", simulator::handle);
    server.setExecutor(executor);
    server.start();
    return simulator;
  }

  /** {@code http://127.0.0.1:<port>}: apps append {@code /v1/...}. */
  public String baseUrl() { return "http://127.0.0.1:" + port(); }

  public int port() { return server.getAddress().getPort(); }

  /** Every request received so far, in arrival order. */
  public List<RecordedRequest> requests() { return List.copyOf(requests); }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      dev.llmotel.it.otlp.SecretScan.requestHeaders(exchange.getRequestHeaders());
      String body = new String(raw, StandardCharsets.UTF_8);
      JsonNode json = parse(body);
      RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          lowerCaseHeaders(exchange), body, model(exchange.getRequestURI().getPath(), json), json != null && json.path("stream").asBoolean(),
          json != null && json.path("stream_options").path("include_usage").asBoolean());
      requests.add(request);
      respond(exchange, request, json);
    } catch (IOException | RuntimeException e) {
      // the client went away (abandoned stream) or sent garbage: nothing to answer
    }
  }

  private void respond(HttpExchange exchange, RecordedRequest request, JsonNode json) throws IOException {
    String path = request.path();
    if (OpenAiResponsesRoutes.handled(exchange, request, json)) return;
    if (librechat.handles(request)) { librechat.respond(exchange, request, json); return; }
    if (OllamaRoutes.respond(exchange, request, json)) return;
    String model = request.model() == null ? "" : request.model();
    for (ProviderRoutes provider : providers) {
      if ("POST".equals(request.method()) && provider.handles(request)) {
        provider.respond(exchange, request, json);
        return;
      }
    }
    if (!"POST".equals(request.method())) {
      sendJson(exchange, request, 405, OpenAiPayloads.error("Method not allowed", "invalid_request_error", null));
    } else if (path.equals("/v1/embeddings") && model.equals(OpenAiPayloads.EMBEDDING_MODEL)) {
      JsonNode input = json.path("input");
      int inputs = input.isArray() ? Math.max(1, input.size()) : 1;
      boolean base64 = "base64".equals(text(json, "encoding_format"));
      sendJson(exchange, request, 200, OpenAiPayloads.embeddings(inputs, base64));
    } else if (path.equals("/v1/chat/completions")) {
      respondToChat(exchange, request, model);
    } else {
      sendJson(exchange, request, 404, OpenAiPayloads.error("Unknown request URL: POST " + path,
          "invalid_request_error", "unknown_url"));
    }
  }

  private void respondToChat(HttpExchange exchange, RecordedRequest request, String model) throws IOException {
    switch (model) {
      case OpenAiPayloads.CHAT_MODEL -> {
        if (request.stream()) {
          stream(exchange, request, OpenAiPayloads.chunks(OpenAiPayloads.CHAT_RESPONSE_MODEL,
              OpenAiPayloads.CONTENT_PIECES, request.includeUsage()), 0, true);
        } else {
          sendJson(exchange, request, 200, OpenAiPayloads.chatCompletion(OpenAiPayloads.CHAT_RESPONSE_MODEL));
        }
      }
      case "sim-429" -> sendJson(exchange, request, 429,
          OpenAiPayloads.error("Rate limit reached", "requests", "rate_limit_exceeded"));
      case "sim-500" -> sendJson(exchange, request, 500,
          OpenAiPayloads.error("The server had an error", "server_error", null));
      case FLAKY_MODEL -> {
        if (flakyFailures.incrementAndGet() <= FLAKY_FAILURES) {
          exchange.getResponseHeaders().set("retry-after-ms", "10");
          sendJson(exchange, request, 429, OpenAiPayloads.error("Rate limit reached", "requests",
              "rate_limit_exceeded"));
        } else {
          flakyFailures.set(0);
          if (request.stream()) {
            stream(exchange, request, OpenAiPayloads.chunks(OpenAiPayloads.CHAT_RESPONSE_MODEL,
                OpenAiPayloads.CONTENT_PIECES, request.includeUsage()), 0, true);
          } else {
            sendJson(exchange, request, 200, OpenAiPayloads.chatCompletion(OpenAiPayloads.CHAT_RESPONSE_MODEL));
          }
        }
      }
      case MIXED_FLAKY_MODEL -> {
        int failure = mixedFailures.incrementAndGet();
        if (failure <= 2) {
          exchange.getResponseHeaders().set("retry-after-ms", "10");
          if (failure == 1) {
            sendJson(exchange, request, 429, OpenAiPayloads.error("Rate limit reached", "requests",
                "rate_limit_exceeded"));
          } else {
            sendJson(exchange, request, 500, OpenAiPayloads.error("The server had an error", "server_error", null));
          }
        } else {
          mixedFailures.set(0);
          if (request.stream()) {
            stream(exchange, request, OpenAiPayloads.chunks(OpenAiPayloads.CHAT_RESPONSE_MODEL,
                OpenAiPayloads.CONTENT_PIECES, request.includeUsage()), 0, true);
          } else {
            sendJson(exchange, request, 200, OpenAiPayloads.chatCompletion(OpenAiPayloads.CHAT_RESPONSE_MODEL));
          }
        }
      }
      case TRUNCATED_MODEL -> {
        exchange.getResponseHeaders().set("Connection", "close");
        stream(exchange, request, OpenAiPayloads.contentChunks(model, TRUNCATED_PIECES), 0, false);
      }
      case "sim-slow" -> stream(exchange, request,
          OpenAiPayloads.chunks(model, OpenAiPayloads.CONTENT_PIECES, request.includeUsage()), SLOW_GAP_MILLIS, true);
      case "sim-long" -> {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < LONG_STREAM_PIECES; i++) pieces.add("word" + i + " ");
        stream(exchange, request, OpenAiPayloads.chunks(model, pieces, request.includeUsage()), SLOW_GAP_MILLIS, true);
      }
      case "sim-huge" -> {
        HugeCompletionBody huge = new HugeCompletionBody(model);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        request.status(200);
        exchange.sendResponseHeaders(200, huge.length());
        try (OutputStream out = exchange.getResponseBody()) {
          huge.writeTo(out);
        }
        request.completed();
      }
      default -> sendJson(exchange, request, 404, OpenAiPayloads.error("The model `" + model
          + "` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found"));
    }
  }

  /** Writes SSE {@code data:} events, flushing each; {@code done} adds the {@code [DONE]} marker. */
  private static void stream(HttpExchange exchange, RecordedRequest request, List<String> chunks, long gapMillis,
      boolean done) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.getResponseHeaders().set("x-request-id", "req_sim");
    request.status(200);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (String chunk : chunks) {
      pause(gapMillis);
      out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      request.chunkSent();
    }
    if (done) {
      pause(gapMillis);
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }
    out.close();
    request.completed();
  }

  private static void sendJson(HttpExchange exchange, RecordedRequest request, int status, String json)
      throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-request-id", "req_sim");
    exchange.getResponseHeaders().set("openai-processing-ms", "5");
    request.status(status);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    request.completed();
  }

  static void pause(long millis) throws IOException {
    if (millis <= 0) return;
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("simulator stopped", e);
    }
  }

  private static Map<String, List<String>> lowerCaseHeaders(HttpExchange exchange) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.computeIfAbsent(name.toLowerCase(), k -> new ArrayList<>()).addAll(values));
    return headers;
  }

  private static JsonNode parse(String body) {
    try {
      return body.isEmpty() ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** The body's {@code model}, else the model id of a Bedrock route ({@code /model/{modelId}/...}, decoded). */
  private static String model(String path, JsonNode json) {
    String model = text(json, "model");
    if (model == null && BedrockRoutes.handlesPath(path)) model = BedrockRoutes.modelId(path);
    return model;
  }

  private static String text(JsonNode json, String field) {
    if (json == null) return null;
    JsonNode node = json.get(field);
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
