package dev.llmotel.dialect.ollama;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonValue;

/**
 * Reads what an Ollama response object says, whether it is a whole response or a line of a stream: the model, the
 * final object's {@code done_reason} and token counts ({@code prompt_eval_count} in, {@code eval_count} out), the
 * dimension count of embeddings, and errors ({@code {"error": "..."}}).
 */
final class OllamaResponse {
  private OllamaResponse() {}

  /** The model, when none is known yet (every line of a stream repeats it). */
  static void applyModel(JsonValue body, CallFacts facts) {
    if (facts.response.model == null) facts.response.model = body.path("model").asNonEmptyText();
  }

  /** What the final object ({@code "done": true}) of a chat or generate response reports. */
  static void applyFinal(JsonValue body, CallFacts facts) {
    applyModel(body, facts);
    String reason = body.path("done_reason").asNonEmptyText();
    if (reason != null && facts.response.finishReasons.isEmpty()) facts.response.addFinishReason(reason);
    applyUsage(body, facts);
  }

  /** An {@code /api/embed} ({@code embeddings}: one vector per input) or {@code /api/embeddings} response. */
  static void applyEmbeddings(JsonValue body, CallFacts facts) {
    applyModel(body, facts);
    applyUsage(body, facts);
    JsonValue vector = body.path("embeddings").get(0);
    if (!vector.isArray()) vector = body.path("embedding");
    if (vector.isArray()) facts.response.embeddingDimensions = vector.size();
  }

  private static void applyUsage(JsonValue body, CallFacts facts) {
    long input = body.path("prompt_eval_count").asLong(-1);
    if (input >= 0) facts.usage.inputTokens = input;
    long output = body.path("eval_count").asLong(-1);
    if (output >= 0) facts.usage.outputTokens = output;
  }

  /**
   * The error an object reports ({@code {"error": "model 'x' not found"}}; an object with a {@code message} as some
   * proxies send), if any.
   *
   * @param type the error type to record; null keeps the one the status gave
   * @return whether the object carried an error
   */
  static boolean applyError(JsonValue body, CallFacts facts, String type) {
    if (body == null || !body.isObject()) return false;
    JsonValue error = body.path("error");
    String message;
    if (error.isString()) message = error.asText("");
    else if (error.isObject()) message = error.path("message").asText("");
    else return false;
    if (type != null || facts.response.errorType == null) facts.response.errorType = type != null ? type : "error";
    if (!message.isEmpty()) facts.response.errorMessage = cut(message);
    return true;
  }

  private static String cut(String message) {
    return message.length() <= OllamaLimits.MAX_ERROR_MESSAGE_CHARS ? message
        : message.substring(0, OllamaLimits.MAX_ERROR_MESSAGE_CHARS);
  }
}
