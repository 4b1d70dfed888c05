package dev.llmotel.it.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini's API on both of its path shapes: the Developer API's {@code /v1beta/models/{model}:{method}} and Vertex
 * AI's {@code /v1beta1/projects/{p}/locations/{l}/publishers/google/models/{model}:{method}}, for the methods
 * {@code generateContent}, {@code streamGenerateContent} (SSE, as with {@code alt=sse}: every {@code data:} event a
 * whole GenerateContentResponse, no end marker), {@code embedContent} and {@code batchEmbedContents}. The model is
 * the path's, and picks the behaviour:
 * <ul>
 *   <li>{@value #MODEL} (and {@value #VERTEX_MODEL}): {@value #ANSWER}, {@code STOP}, response id {@value #RESPONSE_ID};
 *       usage {@value #PROMPT_TOKENS} prompt tokens ({@value #CACHED_TOKENS} cached), {@value #CANDIDATES_TOKENS}
 *       candidates tokens and {@value #THOUGHTS_TOKENS} thoughts tokens; streamed as one chunk per piece of
 *       {@link #PIECES} and a last chunk with the finish reason and the usage;</li>
 *   <li>{@value #EMBEDDING_MODEL}: one {@value #EMBEDDING_DIMENSIONS}-dimension vector per content, no usage;</li>
 *   <li>{@code sim-429}: 429 {@code RESOURCE_EXHAUSTED} ({@value #QUOTA_MESSAGE});</li>
 *   <li>{@code sim-truncated}: a stream of two chunks without a finish reason, then the body ends and the connection
 *       closes;</li>
 *   <li>any other model: 404 {@code NOT_FOUND}.</li>
 * </ul>
 */
public final class GeminiRoutes implements ProviderRoutes {
  public static final String MODEL = "gemini-2.5-flash";
  public static final String VERTEX_MODEL = "gemini-2.0-flash-001";
  public static final String EMBEDDING_MODEL = "gemini-embedding-001";
  public static final String RESPONSE_ID = "sim-gemini-response-1";
  public static final List<String> PIECES = List.of("Hello", " from", " Gemini.");
  public static final String ANSWER = "Hello from Gemini.";
  public static final long PROMPT_TOKENS = 12;
  public static final long CACHED_TOKENS = 4;
  public static final long CANDIDATES_TOKENS = 6;
  public static final long THOUGHTS_TOKENS = 3;
  public static final int EMBEDDING_DIMENSIONS = 8;
  public static final String QUOTA_MESSAGE = "Resource has been exhausted (e.g. check quota).";

  private static final String MODELS = "/models/";

  @Override
  public boolean handles(RecordedRequest request) {
    return model(request.path()) != null;
  }

  /** The model of a Gemini path ({@code .../models/{model}:{method}}), or null when the path is not one. */
  public static String model(String path) {
    int at = path.lastIndexOf(MODELS);
    int colon = path.lastIndexOf(':');
    if (at < 0 || colon < at + MODELS.length() + 1) return null;
    return path.substring(at + MODELS.length(), colon);
  }

  @Override
  public void respond(HttpExchange exchange, RecordedRequest request, JsonNode body) throws IOException {
    String path = request.path();
    String model = model(path);
    String method = path.substring(path.lastIndexOf(':') + 1);
    switch (model) {
      case MODEL, VERTEX_MODEL -> {
        if (method.equals("streamGenerateContent")) {
          List<String> chunks = new ArrayList<>();
          for (String piece : PIECES) chunks.add(chunk(model, piece, null, false));
          chunks.add(chunk(model, "", "STOP", true));
          stream(exchange, request, chunks);
        } else if (method.equals("generateContent")) {
          sendJson(exchange, request, 200, chunk(model, ANSWER, "STOP", true));
        } else {
          notFound(exchange, request, model, method);
        }
      }
      case EMBEDDING_MODEL -> {
        if (method.equals("embedContent")) {
          sendJson(exchange, request, 200, "{\"embedding\":{\"values\":" + vector(0) + "}}");
        } else if (method.equals("batchEmbedContents")) {
          int n = body == null ? 1 : Math.max(1, body.path("requests").size());
          List<String> vectors = new ArrayList<>();
          for (int i = 0; i < n; i++) vectors.add("{\"values\":" + vector(i) + "}");
          sendJson(exchange, request, 200, "{\"embeddings\":[" + String.join(",", vectors) + "]}");
        } else {
          notFound(exchange, request, model, method);
        }
      }
      case "sim-429" -> sendJson(exchange, request, 429, error(429, QUOTA_MESSAGE, "RESOURCE_EXHAUSTED"));
      case LlmSimulator.TRUNCATED_MODEL -> {
        exchange.getResponseHeaders().set("Connection", "close");
        List<String> chunks = new ArrayList<>();
        for (String piece : LlmSimulator.TRUNCATED_PIECES) chunks.add(chunk(model, piece, null, false));
        stream(exchange, request, chunks);
      }
      default -> notFound(exchange, request, model, method);
    }
  }

  /** A GenerateContentResponse: one candidate with the text; with {@code usage} the final counts. */
  private static String chunk(String model, String text, String finishReason, boolean usage) {
    StringBuilder sb = new StringBuilder("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":")
        .append(quote(text)).append("}],\"role\":\"model\"}");
    if (finishReason != null) sb.append(",\"finishReason\":\"").append(finishReason).append('"');
    sb.append(",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":").append(PROMPT_TOKENS);
    if (usage) {
      sb.append(",\"candidatesTokenCount\":").append(CANDIDATES_TOKENS)
          .append(",\"totalTokenCount\":").append(PROMPT_TOKENS + CANDIDATES_TOKENS + THOUGHTS_TOKENS)
          .append(",\"cachedContentTokenCount\":").append(CACHED_TOKENS)
          .append(",\"thoughtsTokenCount\":").append(THOUGHTS_TOKENS);
    } else {
      sb.append(",\"totalTokenCount\":").append(PROMPT_TOKENS);
    }
    return sb.append("},\"modelVersion\":\"").append(model).append("\",\"responseId\":\"").append(RESPONSE_ID)
        .append("\"}").toString();
  }

  private static String vector(int seed) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < EMBEDDING_DIMENSIONS; i++) {
      if (i > 0) sb.append(',');
      sb.append(((i + seed) % 5) / 10.0 - 0.2);
    }
    return sb.append(']').toString();
  }

  static String error(int code, String message, String status) {
    return "{\"error\":{\"code\":" + code + ",\"message\":" + quote(message) + ",\"status\":\"" + status + "\"}}";
  }

  private static void notFound(HttpExchange exchange, RecordedRequest request, String model, String method)
      throws IOException {
    sendJson(exchange, request, 404, error(404, "models/" + model + " is not found for API version v1beta, or is"
        + " not supported for " + method + ".", "NOT_FOUND"));
  }

  /** Writes SSE {@code data:} events, flushing each; the body then just ends (Gemini has no end marker). */
  private static void stream(HttpExchange exchange, RecordedRequest request, List<String> chunks) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Content-Disposition", "attachment");
    request.status(200);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (String chunk : chunks) {
      out.write(("data: " + chunk + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      request.chunkSent();
    }
    out.close();
    request.completed();
  }

  private static void sendJson(HttpExchange exchange, RecordedRequest request, int status, String json)
      throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    request.status(status);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    request.completed();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
