package dev.llmotel.it.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's scripted Anthropic Messages payloads (message, stream events, errors), modelled on the API
 * reference and fully deterministic. The numbers tests assert on are public constants.
 */
public final class AnthropicPayloads {
  public static final String MODEL = "claude-sonnet-4-5";
  /** The dated model the responses name; the bundled price table knows it. */
  public static final String RESPONSE_MODEL = "claude-sonnet-4-5-20250929";
  public static final String MESSAGE_ID = "msg_sim_01";
  public static final String CONTENT = "Hello from the simulator.";
  /** The content split over the three text deltas of a stream. */
  public static final List<String> CONTENT_PIECES = List.of("Hello", " from the", " simulator.");
  /** Usage of the plain message and stream: input without cache, cache reads and writes, output. */
  public static final long INPUT_TOKENS = 9;
  public static final long CACHE_READ_TOKENS = 6;
  public static final long CACHE_CREATION_TOKENS = 4;
  public static final long OUTPUT_TOKENS = 7;
  /** The conventions' input: input + cache read + cache creation. */
  public static final long TOTAL_INPUT_TOKENS = INPUT_TOKENS + CACHE_READ_TOKENS + CACHE_CREATION_TOKENS;

  /** The message answering a request with tools: a text block and one tool_use. */
  public static final String TOOL_MESSAGE_ID = "msg_sim_tool_01";
  public static final String TOOL_TEXT = "I'll check the weather.";
  public static final String TOOL_USE_ID = "toolu_sim_01";
  public static final String TOOL_NAME = "get_weather";
  public static final String TOOL_INPUT = "{\"location\":\"Paris\"}";
  public static final long TOOL_INPUT_TOKENS = 25;
  public static final long TOOL_OUTPUT_TOKENS = 12;

  public static final String RATE_LIMIT_MESSAGE = "Number of request tokens has exceeded your per-minute rate limit";
  public static final String OVERLOADED_MESSAGE = "Overloaded";

  private AnthropicPayloads() {}

  static String usage(long input, long cacheCreation, long cacheRead, long output) {
    return "{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + cacheCreation
        + ",\"cache_read_input_tokens\":" + cacheRead + ",\"output_tokens\":" + output + ",\"service_tier\":\"standard\"}";
  }

  /** The non-streamed message: one text block, {@code end_turn}. */
  static String message() {
    return "{\"id\":\"" + MESSAGE_ID + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + RESPONSE_MODEL
        + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + CONTENT + "\"}],\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null,\"usage\":" + usage(INPUT_TOKENS, CACHE_CREATION_TOKENS, CACHE_READ_TOKENS,
        OUTPUT_TOKENS) + "}";
  }

  /** The message answering a request with tools: text, then a tool_use block, {@code tool_use}. */
  static String toolUseMessage() {
    return "{\"id\":\"" + TOOL_MESSAGE_ID + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
        + RESPONSE_MODEL + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + TOOL_TEXT + "\"},{\"type\":\"tool_use\","
        + "\"id\":\"" + TOOL_USE_ID + "\",\"name\":\"" + TOOL_NAME + "\",\"input\":" + TOOL_INPUT + "}],"
        + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":"
        + usage(TOOL_INPUT_TOKENS, 0, 0, TOOL_OUTPUT_TOKENS) + "}";
  }

  /** One SSE event: its name and its data (Anthropic names every event as its data's type). */
  record Event(String name, String data) {
    String wire() { return "event: " + name + "\ndata: " + data + "\n\n"; }

    /** Events that carry content; the count a stream's chunks are checked against. */
    boolean isDelta() { return name.equals("content_block_delta"); }
  }

  static Event messageStart(String responseModel) {
    return new Event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + MESSAGE_ID
        + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + responseModel + "\",\"content\":[],"
        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":"
        + usage(INPUT_TOKENS, CACHE_CREATION_TOKENS, CACHE_READ_TOKENS, 1) + "}}");
  }

  /** message_start, a text block (with a ping after its start) of the given deltas, up to and without its stop. */
  static List<Event> textEvents(String responseModel, List<String> pieces) {
    List<Event> out = new ArrayList<>();
    out.add(messageStart(responseModel));
    out.add(new Event("content_block_start",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    out.add(new Event("ping", "{\"type\": \"ping\"}"));
    for (String piece : pieces) {
      out.add(new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + piece + "\"}}"));
    }
    return out;
  }

  /** A complete stream: the text block, its stop, message_delta ({@code end_turn}, output usage), message_stop. */
  static List<Event> stream(String responseModel) {
    List<Event> out = textEvents(responseModel, CONTENT_PIECES);
    out.add(new Event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    out.add(new Event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + OUTPUT_TOKENS + "}}"));
    out.add(new Event("message_stop", "{\"type\":\"message_stop\"}"));
    return out;
  }

  static Event overloaded() {
    return new Event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\""
        + OVERLOADED_MESSAGE + "\"}}");
  }

  static String error(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"},"
        + "\"request_id\":\"req_sim\"}";
  }
}
