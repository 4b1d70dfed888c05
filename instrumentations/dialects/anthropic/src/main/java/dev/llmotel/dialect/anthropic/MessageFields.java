package dev.llmotel.dialect.anthropic;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonValue;

/**
 * Reads the parts of an Anthropic message that whole responses and stream events share: id, model, stop reason,
 * usage and errors.
 */
final class MessageFields {
  static final int MAX_ERROR_MESSAGE_CHARS = 500;

  private MessageFields() {}

  /** id and model of a {@code message} object; the first ones seen are kept. */
  static void applyIdentity(JsonValue message, CallFacts facts) {
    if (facts.response.id == null) facts.response.id = message.path("id").asNonEmptyText();
    if (facts.response.model == null) facts.response.model = message.path("model").asNonEmptyText();
  }

  /** The message's stop reason as its one finish reason (a later one replaces an earlier one). */
  static void applyStopReason(String stopReason, CallFacts facts) {
    if (stopReason == null) return;
    facts.response.finishReasons.clear();
    facts.response.addFinishReason(finishReason(stopReason));
  }

  /**
   * The conventions' finish reason for a stop reason where they name one (stop, length, tool_call, content_filter);
   * Anthropic's own value otherwise ({@code pause_turn}, {@code model_context_window_exceeded}, ...).
   */
  static String finishReason(String stopReason) {
    switch (stopReason) {
      case "end_turn":
      case "stop_sequence":
        return "stop";
      case "max_tokens":
        return "length";
      case "tool_use":
        return "tool_call";
      case "refusal":
        return "content_filter";
      default:
        return stopReason;
    }
  }

  /**
   * The error a body describes ({@code {"type":"error","error":{"type","message"}}}), if any.
   *
   * @param fallbackType error type when the error names none; null keeps the error type already set (the status)
   * @return whether the body carried an error object
   */
  static boolean applyError(JsonValue body, CallFacts facts, String fallbackType) {
    if (body == null) return false;
    JsonValue error = body.path("error");
    if (!error.isObject()) return false;
    String type = error.path("type").asNonEmptyText();
    if (type == null) type = fallbackType;
    if (type != null) facts.response.errorType = type;
    String message = error.path("message").asNonEmptyText();
    if (message != null) facts.response.errorMessage = cut(message);
    return true;
  }

  static String cut(String message) {
    return message.length() <= MAX_ERROR_MESSAGE_CHARS ? message : message.substring(0, MAX_ERROR_MESSAGE_CHARS);
  }

  /**
   * The token counts of one call, from one {@code usage} object (a whole response) or several (a stream's
   * {@code message_start}, then {@code message_delta}s whose counts are cumulative: each replaces the last). The
   * conventions' input is Anthropic's input plus cache reads plus cache creation.
   */
  static final class Usage {
    private long input = -1;
    private long cacheRead = -1;
    private long cacheCreation = -1;

    void apply(JsonValue usage, CallFacts facts) {
      if (!usage.isObject()) return;
      input = count(usage, "input_tokens", input);
      cacheRead = count(usage, "cache_read_input_tokens", cacheRead);
      cacheCreation = count(usage, "cache_creation_input_tokens", cacheCreation);
      long output = usage.path("output_tokens").asLong(-1);
      if (output >= 0) facts.usage.outputTokens = output;
      if (input >= 0 || cacheRead >= 0 || cacheCreation >= 0) {
        facts.usage.inputTokens = Math.max(0, input) + Math.max(0, cacheRead) + Math.max(0, cacheCreation);
      }
      facts.usage.cacheReadTokens = cacheRead;
      facts.usage.cacheCreationTokens = cacheCreation;
    }

    private static long count(JsonValue usage, String field, long previous) {
      long v = usage.path(field).asLong(-1);
      return v >= 0 ? v : previous;
    }
  }
}
