package dev.llmotel.it.simulator;

import static dev.llmotel.it.simulator.OpenAiResponsesPayloads.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's OpenAI Responses API: {@code POST /v1/responses}, answered by the request's {@code model}:
 * <ul>
 *   <li>{@code gpt-4o-mini}: a text response ({@value OpenAiResponsesPayloads#TEXT}); with {@code tools} a
 *       {@code get_weather} function call; with {@code max_output_tokens} under the answer's
 *       {@value OpenAiResponsesPayloads#TEXT_OUTPUT_TOKENS} output tokens an {@code incomplete} response; with
 *       {@code stream: true} the same as SSE events ({@code response.created}, {@code .in_progress}, the item, three
 *       text deltas each after a pause of {@value LlmSimulator#SLOW_GAP_MILLIS} ms (so the time to the first chunk
 *       is the time to the first output, well after {@code response.created}), or three argument deltas,
 *       {@code response.completed} with the usage);</li>
 *   <li>{@code sim-failed}: a stream of one delta, then {@code response.failed} ({@code server_error});</li>
 *   <li>{@code sim-stream-error}: a stream of one delta, then an {@code error} event, then the end of the body;</li>
 *   <li>{@code sim-429}: OpenAI's rate-limit error body;</li>
 *   <li>{@code sim-truncated}: a stream of two deltas whose body then ends (no {@code response.completed}) and whose
 *       connection is closed;</li>
 *   <li>{@code sim-long}: a stream of {@value LlmSimulator#LONG_STREAM_PIECES} deltas
 *       {@value LlmSimulator#SLOW_GAP_MILLIS} ms apart, for apps that abandon it.</li>
 * </ul>
 */
final class OpenAiResponsesRoutes {
  static final String PATH = "/v1/responses";

  private OpenAiResponsesRoutes() {}

  /** Answers a Responses API request; false (nothing sent) when the request is another route's. */
  static boolean handled(HttpExchange exchange, RecordedRequest request, JsonNode json) throws IOException {
    if (!"POST".equals(request.method()) || !PATH.equals(request.path())) return false;
    String model = request.model() == null ? "" : request.model();
    boolean tools = json != null && json.path("tools").size() > 0;
    long maxOutput = json != null && json.path("max_output_tokens").isNumber()
        ? json.path("max_output_tokens").asLong() : -1;
    switch (model) {
      case MODEL -> {
        if (request.stream() && tools) {
          stream(exchange, request, toolEvents(), 0);
        } else if (request.stream()) {
          stream(exchange, request, textEvents("stream", RESPONSE_MODEL, TEXT_PIECES, true),
              LlmSimulator.SLOW_GAP_MILLIS);
        } else if (tools) {
          sendJson(exchange, request, 200, toolResponse());
        } else if (maxOutput >= 0 && maxOutput < TEXT_OUTPUT_TOKENS) {
          sendJson(exchange, request, 200, incompleteResponse(maxOutput));
        } else {
          sendJson(exchange, request, 200, textResponse());
        }
      }
      case FAILED_MODEL -> stream(exchange, request, failedEvents(), 0);
      case STREAM_ERROR_MODEL -> stream(exchange, request, errorEvents(), 0);
      case RATE_LIMITED_MODEL -> sendJson(exchange, request, 429, error("Rate limit reached for requests",
          "requests", "rate_limit_exceeded"));
      case LlmSimulator.TRUNCATED_MODEL -> {
        exchange.getResponseHeaders().set("Connection", "close");
        stream(exchange, request, textEvents("truncated", model, LlmSimulator.TRUNCATED_PIECES, false), 0);
      }
      case "sim-long" -> {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < LlmSimulator.LONG_STREAM_PIECES; i++) pieces.add("word" + i + " ");
        stream(exchange, request, textEvents("long", model, pieces, true), LlmSimulator.SLOW_GAP_MILLIS);
      }
      default -> sendJson(exchange, request, 404, error("The model `" + model
          + "` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found"));
    }
    return true;
  }

  /**
   * Writes SSE events with their {@code event:} names, flushing each; {@code deltaGapMillis} before every
   * {@code *.delta} event.
   */
  private static void stream(HttpExchange exchange, RecordedRequest request, List<String> events, long deltaGapMillis)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.getResponseHeaders().set("x-request-id", "req_sim");
    request.status(200);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (String event : events) {
      String type = type(event);
      if (type.endsWith(".delta")) pause(deltaGapMillis);
      out.write(("event: " + type + "\ndata: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      request.chunkSent();
    }
    out.close();
    request.completed();
  }

  private static void sendJson(HttpExchange exchange, RecordedRequest request, int status, String json)
      throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-request-id", "req_sim");
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
}
