package dev.llmotel.it.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's scripted OpenAI Responses API payloads ({@code response} objects, stream events, errors), modelled
 * on the API reference and fully deterministic (fixed ids and timestamps). The numbers tests assert on are public
 * constants.
 */
public final class OpenAiResponsesPayloads {
  public static final String MODEL = "gpt-4o-mini";
  public static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";
  public static final String TEXT = "Hello from the simulator.";
  /** The text split over the three {@code response.output_text.delta} events of a stream. */
  public static final List<String> TEXT_PIECES = List.of("Hello", " from the", " simulator.");
  public static final long TEXT_INPUT_TOKENS = 11;
  public static final long TEXT_CACHED_TOKENS = 3;
  public static final long TEXT_OUTPUT_TOKENS = 7;
  public static final long TEXT_REASONING_TOKENS = 2;

  public static final String TOOL_NAME = "get_weather";
  public static final String TOOL_CALL_ID = "call_sim_1";
  public static final String TOOL_ARGUMENTS = "{\"location\":\"Paris, France\"}";
  /** The arguments split over the {@code response.function_call_arguments.delta} events of a stream. */
  public static final List<String> TOOL_ARGUMENT_PIECES = List.of("{\"location\":", "\"Paris,", " France\"}");
  public static final long TOOL_INPUT_TOKENS = 57;
  public static final long TOOL_OUTPUT_TOKENS = 16;

  /** A request with {@code max_output_tokens} below the full answer's output tokens gets an incomplete response. */
  public static final String INCOMPLETE_TEXT = "Hello from";

  public static final String FAILED_MODEL = "sim-failed";
  public static final String FAILED_CODE = "server_error";
  public static final String FAILED_MESSAGE = "The model failed to generate a response.";
  public static final String STREAM_ERROR_MODEL = "sim-stream-error";
  public static final String STREAM_ERROR_CODE = "server_error";
  public static final String STREAM_ERROR_MESSAGE = "The server had an error while processing your request.";
  public static final String RATE_LIMITED_MODEL = "sim-429";

  static final long CREATED_AT = 1_735_689_600L;

  private OpenAiResponsesPayloads() {}

  /** The fixed id of the response a request for {@code model} gets ({@code scenario}: text, tool, incomplete...). */
  public static String responseId(String scenario) {
    return "resp_sim_" + scenario;
  }

  static String usage(long input, long cached, long output, long reasoning) {
    return "{\"input_tokens\":" + input + ",\"input_tokens_details\":{\"cached_tokens\":" + cached + "},"
        + "\"output_tokens\":" + output + ",\"output_tokens_details\":{\"reasoning_tokens\":" + reasoning + "},"
        + "\"total_tokens\":" + (input + output) + "}";
  }

  static String textUsage() {
    return usage(TEXT_INPUT_TOKENS, TEXT_CACHED_TOKENS, TEXT_OUTPUT_TOKENS, TEXT_REASONING_TOKENS);
  }

  static String toolUsage() {
    return usage(TOOL_INPUT_TOKENS, 0, TOOL_OUTPUT_TOKENS, 0);
  }

  /** A {@code response} object; {@code extra} holds further fields (error, incomplete details) or is empty. */
  static String response(String id, String model, String status, String output, String usage, String error,
      String incompleteDetails, boolean withTool) {
    return "{\"id\":\"" + id + "\",\"object\":\"response\",\"created_at\":" + CREATED_AT + ",\"status\":\"" + status
        + "\",\"background\":false,\"error\":" + error + ",\"incomplete_details\":" + incompleteDetails
        + ",\"instructions\":null,\"max_output_tokens\":null,\"model\":\"" + model + "\",\"output\":" + output
        + ",\"parallel_tool_calls\":true,\"previous_response_id\":null,\"reasoning\":{\"effort\":null,"
        + "\"summary\":null},\"service_tier\":\"default\",\"store\":true,\"temperature\":1.0,\"text\":{\"format\":"
        + "{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":" + (withTool ? toolDefinition() : "[]")
        + ",\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":" + usage + ",\"user\":null,\"metadata\":{}}";
  }

  static String toolDefinition() {
    return "[{\"type\":\"function\",\"name\":\"" + TOOL_NAME + "\",\"description\":\"Current weather for a city.\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},"
        + "\"required\":[\"location\"],\"additionalProperties\":false},\"strict\":true}]";
  }

  static String message(String id, String text, String status) {
    return "{\"id\":\"" + id + "\",\"type\":\"message\",\"status\":\"" + status + "\",\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":" + quote(text) + "}]}";
  }

  static String functionCall(String status, String arguments) {
    return "{\"id\":\"fc_sim_1\",\"type\":\"function_call\",\"status\":\"" + status + "\",\"arguments\":"
        + quote(arguments) + ",\"call_id\":\"" + TOOL_CALL_ID + "\",\"name\":\"" + TOOL_NAME + "\"}";
  }

  /** The non-streamed text response. */
  static String textResponse() {
    return response(responseId("text"), RESPONSE_MODEL, "completed",
        "[" + message("msg_sim_text", TEXT, "completed") + "]", textUsage(), "null", "null", false);
  }

  /** The non-streamed function call. */
  static String toolResponse() {
    return response(responseId("tool"), RESPONSE_MODEL, "completed",
        "[" + functionCall("completed", TOOL_ARGUMENTS) + "]", toolUsage(), "null", "null", true);
  }

  /** Cut by {@code max_output_tokens}: status incomplete, the output tokens are the limit. */
  static String incompleteResponse(long maxOutputTokens) {
    return response(responseId("incomplete"), RESPONSE_MODEL, "incomplete",
        "[" + message("msg_sim_incomplete", INCOMPLETE_TEXT, "incomplete") + "]",
        usage(TEXT_INPUT_TOKENS, TEXT_CACHED_TOKENS, maxOutputTokens, 0), "null", "{\"reason\":\"max_output_tokens\"}", false);
  }

  /** The events of a streamed text response: created, in progress, the message, three deltas, completed. */
  static List<String> textEvents(String scenario, String model, List<String> pieces, boolean complete) {
    String id = responseId(scenario);
    String msg = "msg_sim_" + scenario;
    String inProgress = response(id, model, "in_progress", "[]", "null", "null", "null", false);
    List<String> events = new ArrayList<>();
    events.add("{\"type\":\"response.created\",\"response\":" + inProgress + "}");
    events.add("{\"type\":\"response.in_progress\",\"response\":" + inProgress + "}");
    events.add("{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":"
        + "{\"id\":\"" + msg + "\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}}");
    events.add("{\"type\":\"response.content_part.added\",\"item_id\":\"" + msg + "\",\"output_index\":0,"
        + "\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"}}");
    for (String piece : pieces) {
      events.add("{\"type\":\"response.output_text.delta\",\"item_id\":\"" + msg + "\",\"output_index\":0,"
          + "\"content_index\":0,\"delta\":" + quote(piece) + ",\"logprobs\":[]}");
    }
    if (!complete) return sequenced(events);
    String text = String.join("", pieces);
    events.add("{\"type\":\"response.output_text.done\",\"item_id\":\"" + msg + "\",\"output_index\":0,"
        + "\"content_index\":0,\"text\":" + quote(text) + ",\"logprobs\":[]}");
    events.add("{\"type\":\"response.content_part.done\",\"item_id\":\"" + msg + "\",\"output_index\":0,"
        + "\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":"
        + quote(text) + "}}");
    events.add("{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":"
        + message(msg, text, "completed") + "}");
    events.add("{\"type\":\"response.completed\",\"response\":" + response(id, model, "completed",
        "[" + message(msg, text, "completed") + "]", textUsage(), "null", "null", false) + "}");
    return sequenced(events);
  }

  /** The events of a streamed function call. */
  static List<String> toolEvents() {
    String id = responseId("stream_tool");
    String inProgress = response(id, RESPONSE_MODEL, "in_progress", "[]", "null", "null", "null", true);
    List<String> events = new ArrayList<>();
    events.add("{\"type\":\"response.created\",\"response\":" + inProgress + "}");
    events.add("{\"type\":\"response.in_progress\",\"response\":" + inProgress + "}");
    events.add("{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":"
        + functionCall("in_progress", "") + "}");
    for (String piece : TOOL_ARGUMENT_PIECES) {
      events.add("{\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_sim_1\",\"output_index\":0,"
          + "\"delta\":" + quote(piece) + "}");
    }
    events.add("{\"type\":\"response.function_call_arguments.done\",\"item_id\":\"fc_sim_1\",\"output_index\":0,"
        + "\"arguments\":" + quote(TOOL_ARGUMENTS) + "}");
    events.add("{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":"
        + functionCall("completed", TOOL_ARGUMENTS) + "}");
    events.add("{\"type\":\"response.completed\",\"response\":" + response(id, RESPONSE_MODEL, "completed",
        "[" + functionCall("completed", TOOL_ARGUMENTS) + "]", toolUsage(), "null", "null", true) + "}");
    return sequenced(events);
  }

  /** One delta, then {@code response.failed}. */
  static List<String> failedEvents() {
    List<String> events = new ArrayList<>(textEvents("failed", FAILED_MODEL, List.of("The"), false));
    events.add("{\"type\":\"response.failed\",\"response\":" + response(responseId("failed"), FAILED_MODEL, "failed",
        "[]", "null", "{\"code\":\"" + FAILED_CODE + "\",\"message\":\"" + FAILED_MESSAGE + "\"}", "null", false)
        + "}");
    return sequenced(strip(events));
  }

  /** One delta, then an {@code error} event (and the body ends). */
  static List<String> errorEvents() {
    List<String> events = new ArrayList<>(textEvents("stream_error", STREAM_ERROR_MODEL, List.of("Once"), false));
    events.add("{\"type\":\"error\",\"code\":\"" + STREAM_ERROR_CODE + "\",\"message\":\"" + STREAM_ERROR_MESSAGE
        + "\",\"param\":null}");
    return sequenced(strip(events));
  }

  static String error(String message, String type, String code) {
    return "{\"error\":{\"message\":" + quote(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":"
        + (code == null ? "null" : "\"" + code + "\"") + "}}";
  }

  /** The {@code type} of an event. */
  static String type(String event) {
    int at = event.indexOf("\"type\":\"") + 8;
    return event.substring(at, event.indexOf('"', at));
  }

  /** Adds {@code sequence_number} after each event's type, in order. */
  private static List<String> sequenced(List<String> events) {
    List<String> out = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      String e = events.get(i);
      int afterType = e.indexOf('"', e.indexOf("\"type\":\"") + 8) + 1;
      out.add(e.substring(0, afterType) + ",\"sequence_number\":" + i + e.substring(afterType));
    }
    return out;
  }

  /** Events without their sequence numbers (to number a longer list again). */
  private static List<String> strip(List<String> events) {
    List<String> out = new ArrayList<>(events.size());
    for (String e : events) out.add(e.replaceFirst(",\"sequence_number\":\\d+", ""));
    return out;
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c == '\n') sb.append("\\n");
      else sb.append(c);
    }
    return sb.append('"').toString();
  }
}
