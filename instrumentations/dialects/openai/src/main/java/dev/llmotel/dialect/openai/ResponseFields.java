package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonValue;

/**
 * Reads the parts of an OpenAI-compatible response that chunks and whole responses share: id, model, extras, usage,
 * finish reasons and errors.
 */
final class ResponseFields {
  static final int MAX_ERROR_MESSAGE_CHARS = 500;

  private ResponseFields() {}

  /** id, model, system fingerprint and service tier; the first id and model seen are kept. */
  static void applyIdentity(JsonValue body, CallFacts facts) {
    if (facts.response.id == null) facts.response.id = body.path("id").asNonEmptyText();
    if (facts.response.model == null) facts.response.model = body.path("model").asNonEmptyText();
    String fingerprint = body.path("system_fingerprint").asNonEmptyText();
    if (fingerprint != null) facts.response.putExtra("openai.response.system_fingerprint", fingerprint);
    String tier = body.path("service_tier").asNonEmptyText();
    if (tier != null) facts.response.putExtra("openai.response.service_tier", tier);
  }

  /** Token counts from a {@code usage} object; counts absent there are left as they were. */
  static void applyUsage(JsonValue usage, CallFacts facts) {
    if (!usage.isObject()) return;
    long input = usage.path("prompt_tokens").asLong(-1);
    if (input >= 0) facts.usage.inputTokens = input;
    long output = usage.path("completion_tokens").asLong(-1);
    if (output >= 0) facts.usage.outputTokens = output;
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(-1);
    if (cached < 0) cached = usage.path("prompt_cache_hit_tokens").asLong(-1); // DeepSeek
    if (cached >= 0) facts.usage.cacheReadTokens = cached;
    long reasoning = usage.path("completion_tokens_details").path("reasoning_tokens").asLong(-1);
    if (reasoning >= 0) facts.usage.reasoningTokens = reasoning;
  }

  /**
   * The error a body describes ({@code {"error":{"message","type","code"}}}, {@code {"error":"text"}}, or a
   * list holding such an object), if any.
   *
   * @param fallbackType error type when the body names none
   * @return whether the body carried an error
   */
  static boolean applyError(JsonValue body, CallFacts facts, String fallbackType) {
    if (body == null) return false;
    if (body.isArray()) body = body.get(0);
    JsonValue error = body.path("error");
    String type;
    String message;
    if (error.isObject()) {
      type = error.path("code").asNonEmptyText();
      if (type == null) type = error.path("type").asNonEmptyText();
      message = error.path("message").asNonEmptyText();
    } else if (error.isString()) {
      type = null;
      message = error.asNonEmptyText();
    } else {
      return false;
    }
    facts.response.errorType = type != null ? type : fallbackType;
    if (message != null) facts.response.errorMessage = cut(message);
    return true;
  }

  /** A message when an error body has no {@code error} member ({@code detail} or {@code message}, as some servers send). */
  static void applyLooseErrorMessage(JsonValue body, CallFacts facts) {
    if (body == null || facts.response.errorMessage != null) return;
    String message = body.path("message").asNonEmptyText();
    if (message == null) message = body.path("detail").asNonEmptyText();
    if (message != null) facts.response.errorMessage = cut(message);
  }

  static String cut(String message) {
    return message.length() <= MAX_ERROR_MESSAGE_CHARS ? message : message.substring(0, MAX_ERROR_MESSAGE_CHARS);
  }
}
