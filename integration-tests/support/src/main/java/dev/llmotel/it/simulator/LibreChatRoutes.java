package dev.llmotel.it.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * LibreChat v0.8's API as a JVM app drives it (see the reference page on wire formats):
 * <ul>
 *   <li>{@code POST /api/auth/login {email, password}}: {@code {token, user}} and a {@code refreshToken} cookie when
 *       the password is {@value #PASSWORD}, else 401; {@code POST /api/auth/refresh} with that cookie: a new token;</li>
 *   <li>{@code /api/agents/chat...} needs {@code Authorization: Bearer} {@value #JWT} (else 401) and a browser's
 *       {@code User-Agent} (one with {@code Mozilla/}): any other is refused with status 200 and the SSE frame
 *       {@code event: error / data: {"message":"Illegal request"}}, as LibreChat does;</li>
 *   <li>{@code POST /api/agents/chat[/{endpoint}]}: {@code {streamId, conversationId, status: "started"}}, both ids
 *       {@code conv-<n>};</li>
 *   <li>{@code GET /api/agents/chat/stream/{id}}: {@code event: message} frames, {@value #GAP_MILLIS} ms apart:
 *       {@code created}, {@code on_run_step}, three {@code on_message_delta} ({@link #PIECES}), {@code on_token_usage}
 *       ({@value #INPUT_TOKENS} in, {@value #OUTPUT_TOKENS} out, {@value #CACHE_READ_TOKENS} cache read), {@code
 *       final} (answer {@code msg-ai-<n>}, model {@value #RESPONSE_MODEL}), no final for the model {@value
 *       #NO_FINAL_MODEL}; 404 for an unknown stream;</li>
 *   <li>{@code GET /api/agents/chat/status/{id}}: {@code active: true} for the first {@value #ACTIVE_POLLS} polls,
 *       then {@code active: false, status: "complete"}; {@code status: "aborted"} after an abort; for the model
 *       {@value #FOREVER_MODEL}, active for ever;</li>
 *   <li>{@code POST /api/agents/chat/abort {conversationId | streamId}}: {@code {success: true}}.</li>
 *   <li>{@code POST /api/agents/v1/chat/completions} (the OpenAI-compatible API-key route, {@code Authorization:
 *       Bearer} {@value #API_KEY}): an OpenAI chat completion.</li>
 * </ul>
 * A secret of each kind ({@value #PASSWORD}, {@value #JWT}, {@value #REFRESH_TOKEN}) is distinct, so that a test can
 * search the exported telemetry for each.
 */
public final class LibreChatRoutes implements ProviderRoutes {
  public static final String EMAIL = "it@example.com";
  public static final String PASSWORD = "sim-password-Tr0ub4dor";
  public static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InNpbS11c2VyIn0.c2ltLWp3dC1zaWduYXR1cmU";
  /** The API key of the OpenAI-compatible route. */
  public static final String API_KEY = "sk-test";
  public static final String REFRESH_TOKEN = "sim-refresh-cookie-7f3a9b";
  public static final String MODEL = "gpt-4o-mini";
  public static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";
  public static final String FOREVER_MODEL = "sim-lc-forever";
  /** A stream that ends after its usage frame, without the final frame. */
  public static final String NO_FINAL_MODEL = "sim-lc-nofinal";
  public static final List<String> PIECES = List.of("Paris", " is the", " capital.");
  public static final long INPUT_TOKENS = 25;
  public static final long OUTPUT_TOKENS = 7;
  public static final long CACHE_READ_TOKENS = 10;
  public static final int ACTIVE_POLLS = 2;
  public static final long GAP_MILLIS = 20;
  private static final String CHAT = "/api/agents/chat";

  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, Turn> turns = new ConcurrentHashMap<>();

  private static final class Turn {
    final int n;
    final String model;
    final String requestMessageId;
    final AtomicInteger polls = new AtomicInteger();
    volatile boolean aborted;

    Turn(int n, String model, String requestMessageId) {
      this.n = n;
      this.model = model;
      this.requestMessageId = requestMessageId;
    }
  }

  LibreChatRoutes() {}

  @Override
  public boolean handles(RecordedRequest request) {
    return request.path().startsWith("/api/auth/") || request.path().startsWith("/api/agents/");
  }

  @Override
  public void respond(HttpExchange exchange, RecordedRequest request, JsonNode body) throws IOException {
    String path = request.path();
    String method = request.method();
    if (path.equals("/api/auth/login") && method.equals("POST")) {
      if (body != null && PASSWORD.equals(body.path("password").asText())) {
        exchange.getResponseHeaders().add("Set-Cookie", "refreshToken=" + REFRESH_TOKEN
            + "; Path=/api/auth/refresh; HttpOnly; SameSite=Strict");
        json(exchange, request, 200, tokenBody());
      } else {
        json(exchange, request, 401, "{\"message\":\"Email or password is incorrect\"}");
      }
      return;
    }
    if (path.equals("/api/auth/refresh") && method.equals("POST")) {
      boolean ok = request.header("cookie").stream().anyMatch(c -> c.contains("refreshToken=" + REFRESH_TOKEN));
      json(exchange, request, ok ? 200 : 401, ok ? tokenBody() : "{\"message\":\"Refresh token not provided\"}");
      return;
    }
    if (path.startsWith("/api/auth/")) {
      json(exchange, request, 404, "{\"message\":\"Not found\"}");
      return;
    }
    if (path.equals("/api/agents/v1/chat/completions") && method.equals("POST")) {
      boolean key = request.header("authorization").contains("Bearer " + API_KEY);
      json(exchange, request, key ? 200 : 401, key ? OpenAiPayloads.chatCompletion(OpenAiPayloads.CHAT_RESPONSE_MODEL)
          : "{\"message\":\"Invalid API key\"}");
      return;
    }
    if (!request.header("authorization").contains("Bearer " + JWT)) {
      json(exchange, request, 401, "{\"message\":\"Unauthorized\"}");
      return;
    }
    if (request.header("user-agent").stream().noneMatch(ua -> ua.contains("Mozilla/"))) {
      sse(exchange, request, List.of("event: error\ndata: {\"message\":\"Illegal request\"}\n\n"), 0);
      return;
    }
    String rest = path.startsWith(CHAT) ? path.substring(CHAT.length()) : null;
    if (rest == null) {
      json(exchange, request, 404, "{\"message\":\"Not found\"}");
    } else if (rest.equals("/abort") && method.equals("POST")) {
      String id = body == null ? null : body.path("conversationId").asText(body.path("streamId").asText(null));
      Turn turn = id == null ? null : turns.get(id);
      if (turn != null) turn.aborted = true;
      json(exchange, request, turn == null ? 404 : 200, turn == null ? "{\"error\":\"Job not found\"}"
          : "{\"success\":true,\"aborted\":\"" + id + "\"}");
    } else if (rest.startsWith("/stream/") && method.equals("GET")) {
      Turn turn = turns.get(rest.substring("/stream/".length()));
      if (turn == null) json(exchange, request, 404, "{\"error\":\"Stream not found\"}");
      else sse(exchange, request, frames(turn), GAP_MILLIS);
    } else if (rest.startsWith("/status/") && method.equals("GET")) {
      String id = rest.substring("/status/".length());
      Turn turn = turns.get(id);
      boolean active = turn != null && !turn.aborted
          && (FOREVER_MODEL.equals(turn.model) || turn.polls.incrementAndGet() <= ACTIVE_POLLS);
      String status = turn == null ? "unknown" : turn.aborted ? "aborted" : active ? "running" : "complete";
      json(exchange, request, 200, "{\"active\":" + active + ",\"streamId\":\"" + id + "\",\"status\":\"" + status
          + "\",\"aggregatedContent\":[]}");
    } else if (method.equals("POST") && (rest.isEmpty() || rest.lastIndexOf('/') == 0)) {
      int n = ids.incrementAndGet();
      String id = "conv-" + n;
      String model = body == null ? null : body.path("model").asText(null);
      turns.put(id, new Turn(n, model, body == null ? null : body.path("messageId").asText(null)));
      json(exchange, request, 200, "{\"streamId\":\"" + id + "\",\"conversationId\":\"" + id
          + "\",\"status\":\"started\"}");
    } else {
      json(exchange, request, 404, "{\"message\":\"Not found\"}");
    }
  }

  private static String tokenBody() {
    return "{\"token\":\"" + JWT + "\",\"user\":{\"id\":\"sim-user\",\"email\":\"" + EMAIL
        + "\",\"name\":\"IT\",\"role\":\"USER\"}}";
  }

  private static List<String> frames(Turn t) {
    String conv = "conv-" + t.n;
    StringBuilder deltas = new StringBuilder();
    List<String> frames = new java.util.ArrayList<>();
    frames.add(message("{\"created\":true,\"message\":{\"messageId\":\"" + t.requestMessageId + "\",\"conversationId\":\""
        + conv + "\"},\"streamId\":\"" + conv + "\"}"));
    frames.add(message("{\"event\":\"on_run_step\",\"data\":{\"id\":\"step-" + t.n + "\",\"index\":0,"
        + "\"stepDetails\":{\"type\":\"message_creation\"}}}"));
    for (String piece : PIECES) {
      deltas.append(piece);
      frames.add(message("{\"event\":\"on_message_delta\",\"data\":{\"id\":\"step-" + t.n + "\",\"delta\":{\"content\""
          + ":[{\"type\":\"text\",\"text\":\"" + piece + "\"}]}}}"));
    }
    frames.add(message("{\"event\":\"on_token_usage\",\"data\":{\"input_tokens\":" + INPUT_TOKENS
        + ",\"output_tokens\":" + OUTPUT_TOKENS + ",\"total_tokens\":" + (INPUT_TOKENS + OUTPUT_TOKENS)
        + ",\"input_token_details\":{\"cache_read\":" + CACHE_READ_TOKENS + ",\"cache_creation\":0},"
        + "\"provider\":\"openAI\",\"model\":\"" + RESPONSE_MODEL + "\"}}"));
    if (NO_FINAL_MODEL.equals(t.model)) return frames;
    frames.add(message("{\"final\":true,\"conversation\":{\"conversationId\":\"" + conv + "\",\"title\":\"Capital\"},"
        + "\"title\":\"Capital\",\"requestMessage\":{\"messageId\":\"" + t.requestMessageId + "\",\"text\":\"q\"},"
        + "\"responseMessage\":{\"messageId\":\"msg-ai-" + t.n + "\",\"conversationId\":\"" + conv + "\","
        + "\"model\":\"" + RESPONSE_MODEL + "\",\"endpoint\":\"openAI\",\"text\":\"" + deltas
        + "\",\"promptTokens\":" + INPUT_TOKENS + ",\"tokenCount\":" + OUTPUT_TOKENS + "}}"));
    return frames;
  }

  private static String message(String data) {
    return "event: message\ndata: " + data + "\n\n";
  }

  private static void sse(HttpExchange exchange, RecordedRequest request, List<String> frames, long gapMillis)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    request.status(200);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (String frame : frames) {
      LlmSimulator.pause(gapMillis);
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      out.flush();
      request.chunkSent();
    }
    out.close();
    request.completed();
  }

  private static void json(HttpExchange exchange, RecordedRequest request, int status, String json)
      throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    request.status(status);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    request.completed();
  }
}
