package dev.llmotel.it.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The simulator's Ollama native API: {@code POST /api/chat}, {@code /api/generate}, {@code /api/embed} and the older
 * {@code /api/embeddings}, in Ollama's wire format (one JSON object, or with {@code stream} absent or true an NDJSON
 * stream, {@code application/x-ndjson}, whose last line has {@code "done": true}, {@code done_reason} and the token
 * counts). Deterministic: fixed {@code created_at}, fixed vectors. The request's {@code model} picks the behaviour:
 * <ul>
 *   <li>{@value #CHAT_MODEL} on chat and generate: the scripted answer, {@value #PROMPT_TOKENS} tokens in,
 *       {@value #EVAL_TOKENS} out, {@code done_reason} {@code stop}; streamed as one line per piece of
 *       {@link #PIECES} and a final line (generate streams wait {@value LlmSimulator#SLOW_GAP_MILLIS} ms before each
 *       line, so their time to first chunk is measurable); with {@code "format": "json"} the answer is
 *       {@value #JSON_ANSWER};</li>
 *   <li>{@value #EMBED_MODEL} on {@code /api/embed}: one {@value #EMBED_DIMENSIONS}-dimension vector per input,
 *       {@value #EMBED_PROMPT_TOKENS} tokens; {@value #LEGACY_EMBED_MODEL} on {@code /api/embeddings}: one
 *       {@value #LEGACY_EMBED_DIMENSIONS}-dimension {@code embedding}, nothing else;</li>
 *   <li>{@value #ERROR_MID_STREAM_MODEL}: two lines, then {@code {"error": ...}} and the end of the body;</li>
 *   <li>{@value #TRUNCATED_MODEL}: two lines, then the body ends and the connection closes (no final line);</li>
 *   <li>{@value #LONG_MODEL}: {@value LlmSimulator#LONG_STREAM_PIECES} lines
 *       {@value LlmSimulator#SLOW_GAP_MILLIS} ms apart, for apps that close the stream early;</li>
 *   <li>any other model: 404 {@code {"error": "model 'x' not found"}}.</li>
 * </ul>
 */
public final class OllamaRoutes {
  public static final String CHAT_MODEL = "llama3.2";
  public static final List<String> PIECES = List.of("Hello", " from", " Ollama.");
  public static final String ANSWER = "Hello from Ollama.";
  public static final String JSON_ANSWER = "{\"greeting\":\"Hello from Ollama.\"}";
  public static final long PROMPT_TOKENS = 26;
  public static final long EVAL_TOKENS = 6;
  public static final String EMBED_MODEL = "all-minilm";
  public static final int EMBED_DIMENSIONS = 384;
  public static final long EMBED_PROMPT_TOKENS = 12;
  public static final String LEGACY_EMBED_MODEL = "nomic-embed-text";
  public static final int LEGACY_EMBED_DIMENSIONS = 768;
  public static final String ERROR_MID_STREAM_MODEL = "sim-error-mid-stream";
  public static final String STREAM_ERROR = "an error was encountered while running the model: unexpected EOF";
  public static final String TRUNCATED_MODEL = "sim-truncated";
  public static final String LONG_MODEL = "sim-long";
  /** Lines the error and truncated streams send before they end. */
  public static final int LINES_BEFORE_THE_END = 2;

  static final String CREATED_AT = "2025-01-01T00:00:00Z";

  private OllamaRoutes() {}

  /** Answers the request if it is for one of Ollama's routes; false leaves it to the other routes. */
  static boolean respond(HttpExchange exchange, RecordedRequest request, JsonNode json) throws IOException {
    String path = request.path();
    if (!path.startsWith("/api/") || !"POST".equals(request.method())) return false;
    String model = request.model() == null ? "" : request.model();
    boolean stream = json == null || !json.has("stream") || json.get("stream").isNull()
        || json.get("stream").asBoolean(true);
    switch (path) {
      case "/api/chat" -> chat(exchange, request, model, stream);
      case "/api/generate" -> generate(exchange, request, model, stream,
          json != null && "json".equals(json.path("format").asText(null)));
      case "/api/embed" -> {
        if (!model.equals(EMBED_MODEL)) {
          notFound(exchange, request, model);
          return true;
        }
        JsonNode input = json.path("input");
        int inputs = input.isArray() ? input.size() : 1;
        List<String> vectors = new ArrayList<>();
        for (int i = 0; i < inputs; i++) vectors.add(vector(EMBED_DIMENSIONS, i));
        sendJson(exchange, request, 200, "{\"model\":\"" + EMBED_MODEL + "\",\"embeddings\":[" + String.join(",",
            vectors) + "],\"total_duration\":14143917,\"load_duration\":1019500,\"prompt_eval_count\":"
            + EMBED_PROMPT_TOKENS + "}");
      }
      case "/api/embeddings" -> {
        if (model.equals(LEGACY_EMBED_MODEL)) {
          sendJson(exchange, request, 200, "{\"embedding\":" + vector(LEGACY_EMBED_DIMENSIONS, 0) + "}");
        } else {
          notFound(exchange, request, model);
        }
      }
      default -> sendJson(exchange, request, 404, "404 page not found");
    }
    return true;
  }

  private static void chat(HttpExchange exchange, RecordedRequest request, String model, boolean stream)
      throws IOException {
    switch (model) {
      case CHAT_MODEL -> {
        if (stream) {
          List<String> lines = new ArrayList<>();
          for (String piece : PIECES) lines.add(chatLine(model, piece));
          lines.add(finalChatLine(model));
          stream(exchange, request, lines, 0);
        } else {
          sendJson(exchange, request, 200, "{\"model\":\"" + model + "\",\"created_at\":\"" + CREATED_AT
              + "\",\"message\":{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"}," + finalFields());
        }
      }
      case ERROR_MID_STREAM_MODEL -> stream(exchange, request, List.of(chatLine(model, PIECES.get(0)),
          chatLine(model, PIECES.get(1)), "{\"error\":\"" + STREAM_ERROR + "\"}"), 0);
      case TRUNCATED_MODEL -> {
        exchange.getResponseHeaders().set("Connection", "close");
        stream(exchange, request, List.of(chatLine(model, PIECES.get(0)), chatLine(model, PIECES.get(1))), 0);
      }
      case LONG_MODEL -> {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < LlmSimulator.LONG_STREAM_PIECES; i++) lines.add(chatLine(model, "word" + i + " "));
        lines.add(finalChatLine(model));
        stream(exchange, request, lines, LlmSimulator.SLOW_GAP_MILLIS);
      }
      default -> notFound(exchange, request, model);
    }
  }

  private static void generate(HttpExchange exchange, RecordedRequest request, String model, boolean stream,
      boolean json) throws IOException {
    if (!model.equals(CHAT_MODEL)) {
      notFound(exchange, request, model);
      return;
    }
    String answer = json ? JSON_ANSWER : ANSWER;
    if (!stream) {
      sendJson(exchange, request, 200, "{\"model\":\"" + model + "\",\"created_at\":\"" + CREATED_AT
          + "\",\"response\":" + quote(answer) + ",\"done\":true,\"done_reason\":\"stop\",\"context\":[1,2,3],"
          + counts());
      return;
    }
    List<String> lines = new ArrayList<>();
    List<String> pieces = json ? List.of(JSON_ANSWER) : PIECES;
    for (String piece : pieces) {
      lines.add("{\"model\":\"" + model + "\",\"created_at\":\"" + CREATED_AT + "\",\"response\":" + quote(piece)
          + ",\"done\":false}");
    }
    lines.add("{\"model\":\"" + model + "\",\"created_at\":\"" + CREATED_AT + "\",\"response\":\"\",\"done\":true,"
        + "\"done_reason\":\"stop\",\"context\":[1,2,3]," + counts());
    stream(exchange, request, lines, LlmSimulator.SLOW_GAP_MILLIS);
  }

  private static String chatLine(String model, String content) {
    return "{\"model\":\"" + model + "\",\"created_at\":\"" + CREATED_AT + "\",\"message\":{\"role\":\"assistant\","
        + "\"content\":" + quote(content) + "},\"done\":false}";
  }

  private static String finalChatLine(String model) {
    return "{\"model\":\"" + model + "\",\"created_at\":\"" + CREATED_AT + "\",\"message\":{\"role\":\"assistant\","
        + "\"content\":\"\"}," + finalFields();
  }

  /** The end of a chat's final object: reason, done, durations (nanoseconds) and token counts. */
  private static String finalFields() {
    return "\"done_reason\":\"stop\",\"done\":true," + counts();
  }

  /** Durations (nanoseconds) and token counts, closing the final object. */
  private static String counts() {
    return "\"total_duration\":4883583458,\"load_duration\":1334875,\"prompt_eval_count\":" + PROMPT_TOKENS + ",\"prompt_eval_duration\":342546000,\"eval_count\":"
        + EVAL_TOKENS + ",\"eval_duration\":4535599000}";
  }

  /** A fixed vector: the same numbers on every run. */
  static String vector(int dimensions, int seed) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dimensions; i++) {
      if (i > 0) sb.append(',');
      sb.append(String.format(Locale.ROOT, "%.6f", Math.sin(seed * 1000 + i) / 10));
    }
    return sb.append(']').toString();
  }

  private static void notFound(HttpExchange exchange, RecordedRequest request, String model) throws IOException {
    sendJson(exchange, request, 404, "{\"error\":\"model '" + model + "' not found\"}");
  }

  /** Writes NDJSON lines, flushing each; {@code gapMillis} before every line. */
  private static void stream(HttpExchange exchange, RecordedRequest request, List<String> lines, long gapMillis)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    request.status(200);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (String line : lines) {
      pause(gapMillis);
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      request.chunkSent();
    }
    out.close();
    request.completed();
  }

  private static void sendJson(HttpExchange exchange, RecordedRequest request, int status, String json)
      throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type",
        json.startsWith("{") ? "application/json; charset=utf-8" : "text/plain");
    request.status(status);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    request.completed();
  }

  private static void pause(long millis) throws IOException {
    if (millis <= 0) return;
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("simulator stopped", e);
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
