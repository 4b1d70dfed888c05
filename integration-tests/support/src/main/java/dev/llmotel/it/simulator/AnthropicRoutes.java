package dev.llmotel.it.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Anthropic's {@code POST /v1/messages}; the request's {@code model} picks the behaviour:
 * <ul>
 *   <li>{@code claude-sonnet-4-5}: a message, or with {@code stream: true} the SSE events (message_start, a text block
 *       with a ping and three deltas, message_delta, message_stop); a request with {@code tools} gets a tool_use
 *       message instead (not streamed);</li>
 *   <li>{@code sim-429} / {@code sim-500}: Anthropic error bodies ({@code rate_limit_error} / {@code api_error});</li>
 *   <li>{@code sim-overloaded}: a stream whose first delta is followed by an {@code error} event
 *       ({@code overloaded_error}), then the end of the body;</li>
 *   <li>{@code sim-truncated}: a stream of two deltas whose body then ends (no message_stop), connection closed;</li>
 *   <li>{@code sim-flaky-mixed}: a 429 ({@code rate_limit_error}), then a 500 ({@code api_error}), both with
 *       {@code retry-after-ms: 10}, then the {@code claude-sonnet-4-5} message or stream; then again;</li>
 *   <li>{@code sim-slow}: the complete stream with {@value LlmSimulator#SLOW_GAP_MILLIS} ms before every event.</li>
 * </ul>
 * See {@link AnthropicPayloads} for the payloads and their numbers.
 */
final class AnthropicRoutes implements ProviderRoutes {
  static final String PATH = "/v1/messages";
  private final java.util.concurrent.atomic.AtomicInteger mixedFailures = new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public boolean handles(RecordedRequest request) {
    return request.path().equals(PATH);
  }

  @Override
  public void respond(HttpExchange exchange, RecordedRequest request, JsonNode body) throws IOException {
    String model = request.model() == null ? "" : request.model();
    switch (model) {
      case AnthropicPayloads.MODEL -> {
        if (body != null && body.path("tools").size() > 0) {
          sendJson(exchange, request, 200, AnthropicPayloads.toolUseMessage());
        } else if (request.stream()) {
          stream(exchange, request, AnthropicPayloads.stream(AnthropicPayloads.RESPONSE_MODEL), 0);
        } else {
          sendJson(exchange, request, 200, AnthropicPayloads.message());
        }
      }
      case "sim-429" -> {
        exchange.getResponseHeaders().set("retry-after", "20");
        sendJson(exchange, request, 429, AnthropicPayloads.error("rate_limit_error",
            AnthropicPayloads.RATE_LIMIT_MESSAGE));
      }
      case "sim-500" -> sendJson(exchange, request, 500,
          AnthropicPayloads.error("api_error", "Internal server error"));
      case "sim-overloaded" -> {
        List<AnthropicPayloads.Event> events = AnthropicPayloads.textEvents(model,
            AnthropicPayloads.CONTENT_PIECES.subList(0, 1));
        events.add(AnthropicPayloads.overloaded());
        stream(exchange, request, events, 0);
      }
      case LlmSimulator.TRUNCATED_MODEL -> {
        exchange.getResponseHeaders().set("Connection", "close");
        stream(exchange, request, AnthropicPayloads.textEvents(model, LlmSimulator.TRUNCATED_PIECES), 0);
      }
      case LlmSimulator.MIXED_FLAKY_MODEL -> {
        int failure = mixedFailures.incrementAndGet();
        if (failure <= 2) {
          exchange.getResponseHeaders().set("retry-after-ms", "10");
          if (failure == 1) {
            sendJson(exchange, request, 429, AnthropicPayloads.error("rate_limit_error",
                AnthropicPayloads.RATE_LIMIT_MESSAGE));
          } else {
            sendJson(exchange, request, 500, AnthropicPayloads.error("api_error", "Internal server error"));
          }
        } else {
          mixedFailures.set(0);
          if (request.stream()) {
            stream(exchange, request, AnthropicPayloads.stream(AnthropicPayloads.RESPONSE_MODEL), 0);
          } else {
            sendJson(exchange, request, 200, AnthropicPayloads.message());
          }
        }
      }
      case "sim-slow" -> stream(exchange, request, AnthropicPayloads.stream(model), LlmSimulator.SLOW_GAP_MILLIS);
      default -> sendJson(exchange, request, 404, AnthropicPayloads.error("not_found_error", "model: " + model));
    }
  }

  /** Writes the events, flushing each, {@code gapMillis} before every one; then ends the body. */
  private static void stream(HttpExchange exchange, RecordedRequest request, List<AnthropicPayloads.Event> events,
      long gapMillis) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.getResponseHeaders().set("request-id", "req_sim");
    request.status(200);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (AnthropicPayloads.Event event : events) {
      LlmSimulator.pause(gapMillis);
      out.write(event.wire().getBytes(StandardCharsets.UTF_8));
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
    exchange.getResponseHeaders().set("request-id", "req_sim");
    request.status(status);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    request.completed();
  }
}
