package dev.llmotel.it.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

/**
 * AWS Bedrock Runtime's {@code POST /model/{modelId}/converse}, {@code /converse-stream}, {@code /invoke} and
 * {@code /invoke-with-response-stream}; the model id in the path picks the behaviour:
 * <ul>
 *   <li>{@value #MODEL}: Converse answers {@code "Red."} ({@value #INPUT_TOKENS} in, {@value #OUTPUT_TOKENS} out,
 *       {@code end_turn}), or with {@code toolConfig} a {@code toolUse} of {@code get_weather}
 *       ({@value #TOOL_INPUT_TOKENS} / {@value #TOOL_OUTPUT_TOKENS}, {@code tool_use}); ConverseStream sends the
 *       same text as {@code contentBlockDelta}s in an AWS event stream ending with {@code metadata}; InvokeModel
 *       answers in Anthropic's Messages shape ({@value #INVOKE_INPUT_TOKENS} / {@value #INVOKE_OUTPUT_TOKENS}) with
 *       Bedrock's token-count headers; InvokeModelWithResponseStream sends the Anthropic events as base64
 *       {@code chunk}s;</li>
 *   <li>{@code sim-throttled}: 429 with {@code x-amzn-ErrorType: ThrottlingException:...};</li>
 *   <li>{@code sim-invalid}: 400 {@code ValidationException};</li>
 *   <li>anything else: 404 {@code ResourceNotFoundException}.</li>
 * </ul>
 * Event streams are framed by {@link #frame} (prelude, string headers, payload, both CRC32s). A recorded request's
 * {@link RecordedRequest#model()} is the model id of its path (Bedrock bodies name none).
 */
public final class BedrockRoutes implements ProviderRoutes {
  public static final String MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0";
  public static final int INPUT_TOKENS = 18;
  public static final int OUTPUT_TOKENS = 4;
  public static final int TOOL_INPUT_TOKENS = 392;
  public static final int TOOL_OUTPUT_TOKENS = 58;
  public static final int INVOKE_INPUT_TOKENS = 15;
  public static final int INVOKE_OUTPUT_TOKENS = 6;
  public static final List<String> PIECES = List.of("Red", ",", " green", " and blue.");
  public static final int STREAM_INPUT_TOKENS = 12;
  public static final int STREAM_OUTPUT_TOKENS = 9;
  public static final String THROTTLED = "sim-throttled";
  public static final String INVALID = "sim-invalid";

  @Override
  public boolean handles(RecordedRequest request) {
    return handlesPath(request.path());
  }

  static boolean handlesPath(String p) {
    return p.startsWith("/model/") && operation(p) != null;
  }

  private static String operation(String path) {
    int slash = path.lastIndexOf('/');
    if (slash <= "/model/".length()) return null;
    String op = path.substring(slash + 1);
    return switch (op) {
      case "converse", "converse-stream", "invoke", "invoke-with-response-stream" -> op;
      default -> null;
    };
  }

  static String modelId(String path) {
    return path.substring("/model/".length(), path.lastIndexOf('/'));
  }

  @Override
  public void respond(HttpExchange exchange, RecordedRequest request, JsonNode body) throws IOException {
    String op = operation(request.path());
    String model = modelId(request.path());
    switch (model) {
      case THROTTLED -> error(exchange, request, 429, "ThrottlingException",
          "Too many requests, please wait before trying again.");
      case INVALID -> error(exchange, request, 400, "ValidationException",
          "The maximum tokens you requested exceeds the model limit of 8192.");
      case MODEL -> {
        switch (op) {
          case "converse" -> sendJson(exchange, request, 200,
              body != null && body.has("toolConfig") ? toolUse() : converse());
          case "converse-stream" -> stream(exchange, request, converseEvents());
          case "invoke" -> {
            exchange.getResponseHeaders().set("X-Amzn-Bedrock-Input-Token-Count", "" + INVOKE_INPUT_TOKENS);
            exchange.getResponseHeaders().set("X-Amzn-Bedrock-Output-Token-Count", "" + INVOKE_OUTPUT_TOKENS);
            sendJson(exchange, request, 200, anthropicMessage());
          }
          default -> stream(exchange, request, anthropicChunks());
        }
      }
      default -> error(exchange, request, 404, "ResourceNotFoundException", "Model not found: " + model);
    }
  }

  static String converse() {
    return "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Red.\"}]}},"
        + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":" + INPUT_TOKENS + ",\"outputTokens\":"
        + OUTPUT_TOKENS + ",\"totalTokens\":" + (INPUT_TOKENS + OUTPUT_TOKENS) + "},\"metrics\":{\"latencyMs\":41}}";
  }

  static String toolUse() {
    return "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"I'll look that up.\"},"
        + "{\"toolUse\":{\"toolUseId\":\"tooluse_sim1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}}]}},"
        + "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":" + TOOL_INPUT_TOKENS + ",\"outputTokens\":"
        + TOOL_OUTPUT_TOKENS + ",\"totalTokens\":" + (TOOL_INPUT_TOKENS + TOOL_OUTPUT_TOKENS) + "},"
        + "\"metrics\":{\"latencyMs\":77}}";
  }

  static String anthropicMessage() {
    return "{\"id\":\"msg_bdrk_sim1\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-3-5-sonnet-20241022\",\"content\":[{\"type\":\"text\",\"text\":\"Hi there!\"}],"
        + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + INVOKE_INPUT_TOKENS
        + ",\"output_tokens\":" + INVOKE_OUTPUT_TOKENS + "}}";
  }

  static List<byte[]> converseEvents() {
    List<byte[]> events = new ArrayList<>();
    events.add(event("messageStart", "{\"role\":\"assistant\"}"));
    for (String piece : PIECES) {
      events.add(event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + piece + "\"}}"));
    }
    events.add(event("contentBlockStop", "{\"contentBlockIndex\":0}"));
    events.add(event("messageStop", "{\"stopReason\":\"end_turn\"}"));
    events.add(event("metadata", "{\"usage\":{\"inputTokens\":" + STREAM_INPUT_TOKENS + ",\"outputTokens\":"
        + STREAM_OUTPUT_TOKENS + ",\"totalTokens\":" + (STREAM_INPUT_TOKENS + STREAM_OUTPUT_TOKENS)
        + "},\"metrics\":{\"latencyMs\":55}}"));
    return events;
  }

  static List<byte[]> anthropicChunks() {
    List<byte[]> chunks = new ArrayList<>();
    chunks.add(chunk("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_sim2\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-3-5-sonnet-20241022\",\"content\":[],\"usage\":"
        + "{\"input_tokens\":" + STREAM_INPUT_TOKENS + ",\"output_tokens\":1}}}"));
    for (String piece : PIECES) {
      chunks.add(chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
          + piece + "\"}}"));
    }
    chunks.add(chunk("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":"
        + "{\"output_tokens\":" + STREAM_OUTPUT_TOKENS + "}}"));
    chunks.add(chunk("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":"
        + STREAM_INPUT_TOKENS + ",\"outputTokenCount\":" + STREAM_OUTPUT_TOKENS
        + ",\"invocationLatency\":60,\"firstByteLatency\":20}}"));
    return chunks;
  }

  static byte[] chunk(String anthropicEvent) {
    return event("chunk", "{\"bytes\":\""
        + Base64.getEncoder().encodeToString(anthropicEvent.getBytes(StandardCharsets.UTF_8)) + "\"}");
  }

  static byte[] event(String eventType, String json) {
    return frame(json.getBytes(StandardCharsets.UTF_8), ":event-type", eventType, ":content-type", "application/json",
        ":message-type", "event");
  }

  /** One AWS event-stream message: total and headers length, prelude CRC, string headers, payload, message CRC. */
  static byte[] frame(byte[] payload, String... headerPairs) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    for (int i = 0; i < headerPairs.length; i += 2) {
      byte[] name = headerPairs[i].getBytes(StandardCharsets.UTF_8);
      byte[] value = headerPairs[i + 1].getBytes(StandardCharsets.UTF_8);
      h.write(name.length);
      h.write(name, 0, name.length);
      h.write(7);
      h.write(value.length >> 8);
      h.write(value.length & 0xFF);
      h.write(value, 0, value.length);
    }
    byte[] headers = h.toByteArray();
    int total = 16 + headers.length + payload.length;
    ByteBuffer b = ByteBuffer.allocate(total);
    b.putInt(total).putInt(headers.length);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, 8);
    b.putInt((int) crc.getValue());
    b.put(headers).put(payload);
    crc.reset();
    crc.update(b.array(), 0, total - 4);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  private static void stream(HttpExchange exchange, RecordedRequest request, List<byte[]> frames) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.amazon.eventstream");
    exchange.getResponseHeaders().set("x-amzn-RequestId", "req-sim");
    request.status(200);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (byte[] f : frames) {
      out.write(f);
      out.flush();
      request.chunkSent();
    }
    out.close();
    request.completed();
  }

  private static void error(HttpExchange exchange, RecordedRequest request, int status, String type, String message)
      throws IOException {
    exchange.getResponseHeaders().set("x-amzn-ErrorType",
        type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    sendJson(exchange, request, status, "{\"message\":\"" + message + "\"}");
  }

  private static void sendJson(HttpExchange exchange, RecordedRequest request, int status, String json)
      throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-amzn-RequestId", "req-sim");
    request.status(status);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    request.completed();
  }
}
