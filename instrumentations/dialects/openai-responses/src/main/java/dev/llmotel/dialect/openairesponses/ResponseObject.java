package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonValue;

/**
 * Reads a Responses API {@code response} object (a non-streamed body, or the one a stream event carries) and
 * OpenAI's error shapes into the facts. The finish-reason and error rules are described on
 * {@link OpenAiResponsesDialect}.
 */
final class ResponseObject {
  static final String STOP = "stop";
  static final String TOOL_CALL = "tool_call";
  static final String ERROR = "error";
  static final String FAILED_WITHOUT_CODE = "response_failed";
  static final String STREAM_ERROR = "stream_error";

  /** Output item types that ask the application to carry out a call and send its result back. */
  private static final String[] CALLS_FOR_THE_APPLICATION = {"function_call", "custom_tool_call", "computer_call",
      "local_shell_call", "shell_call", "apply_patch_call"};

  private ResponseObject() {}

  /** Identity, usage, finish reason and error of a whole response; what it does not say is left as it was. */
  static void apply(JsonValue response, CallFacts facts) {
    if (response == null || !response.isObject()) return;
    applyIdentity(response, facts);
    applyUsage(response.path("usage"), facts);
    String reason = finishReason(response);
    if (reason != null) {
      facts.response.finishReasons.clear();
      facts.response.addFinishReason(reason);
    }
    JsonValue error = response.path("error");
    if (error.isObject()) applyErrorObject(error, facts, FAILED_WITHOUT_CODE);
    else if ("failed".equals(response.path("status").asNonEmptyText()) && facts.response.errorType == null) {
      facts.response.errorType = FAILED_WITHOUT_CODE;
    }
  }

  /** id, model and service tier; the first id and model seen are kept. */
  static void applyIdentity(JsonValue response, CallFacts facts) {
    if (facts.response.id == null) facts.response.id = response.path("id").asNonEmptyText();
    if (facts.response.model == null) facts.response.model = response.path("model").asNonEmptyText();
    String tier = response.path("service_tier").asNonEmptyText();
    if (tier != null) facts.response.putExtra("openai.response.service_tier", tier);
  }

  /** Token counts from a {@code usage} object; counts absent there are left as they were. */
  static void applyUsage(JsonValue usage, CallFacts facts) {
    if (!usage.isObject()) return;
    long input = usage.path("input_tokens").asLong(-1);
    if (input >= 0) facts.usage.inputTokens = input;
    long output = usage.path("output_tokens").asLong(-1);
    if (output >= 0) facts.usage.outputTokens = output;
    long cached = usage.path("input_tokens_details").path("cached_tokens").asLong(-1);
    if (cached >= 0) facts.usage.cacheReadTokens = cached;
    long reasoning = usage.path("output_tokens_details").path("reasoning_tokens").asLong(-1);
    if (reasoning >= 0) facts.usage.reasoningTokens = reasoning;
  }

  /** The finish reason a response's status implies, or null while it is not finished (or has no status). */
  static String finishReason(JsonValue response) {
    String status = response.path("status").asNonEmptyText();
    if (status == null) return null;
    switch (status) {
      case "completed":
        return callsForTheApplication(response.path("output")) ? TOOL_CALL : STOP;
      case "incomplete":
        String reason = response.path("incomplete_details").path("reason").asNonEmptyText();
        return reason != null ? reason : "incomplete";
      case "failed":
        return ERROR;
      default:
        return null;
    }
  }

  private static boolean callsForTheApplication(JsonValue output) {
    for (int i = 0; i < output.retainedSize(); i++) {
      String type = output.get(i).path("type").asNonEmptyText();
      if (type == null) continue;
      for (String call : CALLS_FOR_THE_APPLICATION) if (call.equals(type)) return true;
    }
    return false;
  }

  /**
   * An error body ({@code {"error":{...}}}, {@code {"error":"text"}}, or a list holding such an object), if any.
   *
   * @param fallbackType error type when the body names none
   * @return whether the body carried an error
   */
  static boolean applyErrorBody(JsonValue body, CallFacts facts, String fallbackType) {
    if (body == null) return false;
    if (body.isArray()) body = body.get(0);
    JsonValue error = body.path("error");
    if (error.isObject()) {
      applyErrorObject(error, facts, fallbackType);
      return true;
    }
    if (error.isString()) {
      facts.response.errorType = fallbackType;
      String message = error.asNonEmptyText();
      if (message != null) facts.response.errorMessage = cut(message);
      return true;
    }
    return false;
  }

  /**
   * A streamed {@code error} event: {@code {"type":"error","code","message","param"}} as the API reference gives it,
   * or with the same fields under {@code error}.
   */
  static void applyErrorEvent(JsonValue event, CallFacts facts) {
    if (event == null || !event.isObject()) {
      if (facts.response.errorType == null) facts.response.errorType = STREAM_ERROR;
      return;
    }
    JsonValue error = event.path("error").isObject() ? event.path("error") : event;
    applyErrorObject(error, facts, STREAM_ERROR);
  }

  /** {@code {"code","type","message"}}: the code, else the type, else the fallback; the message cut. */
  private static void applyErrorObject(JsonValue error, CallFacts facts, String fallbackType) {
    String type = error.path("code").asNonEmptyText();
    if (type == null && error.path("code").isNumber()) type = Long.toString(error.path("code").asLong(0));
    if (type == null) {
      String t = error.path("type").asNonEmptyText();
      if (t != null && !t.equals("error")) type = t;
    }
    facts.response.errorType = type != null ? type : fallbackType;
    String message = error.path("message").asNonEmptyText();
    if (message != null) facts.response.errorMessage = cut(message);
  }

  /** A message when an error body has no {@code error} member ({@code detail} or {@code message}). */
  static void applyLooseErrorMessage(JsonValue body, CallFacts facts) {
    if (body == null || facts.response.errorMessage != null) return;
    String message = body.path("message").asNonEmptyText();
    if (message == null) message = body.path("detail").asNonEmptyText();
    if (message != null) facts.response.errorMessage = cut(message);
  }

  static String cut(String message) {
    return message.length() <= ResponsesLimits.MAX_ERROR_MESSAGE_CHARS ? message
        : message.substring(0, ResponsesLimits.MAX_ERROR_MESSAGE_CHARS);
  }
}
