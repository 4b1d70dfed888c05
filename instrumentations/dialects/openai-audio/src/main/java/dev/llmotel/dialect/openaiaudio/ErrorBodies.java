package dev.llmotel.dialect.openaiaudio;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonValue;

/** OpenAI's error bodies {@code {"error":{"message","type","code"}}} and in-stream {@code error} events. */
final class ErrorBodies {
  static final int MAX_MESSAGE_CHARS = 500;
  static final JsonLimits LIMITS = JsonLimits.defaults().withMaxStringChars(MAX_MESSAGE_CHARS).withMaxDepth(4)
      .withMaxArrayElements(16).withMaxRetainedChars(8192).withMaxDocumentBytes(64 * 1024);

  private ErrorBodies() {}

  /**
   * Applies the error the body describes: its code, else its type, else {@code fallback}; and its message.
   *
   * @return whether the body described an error
   */
  static boolean apply(JsonValue body, CallFacts facts, String fallback) {
    if (body == null || !body.isObject()) return false;
    JsonValue error = body.path("error");
    if (!error.isPresent()) {
      if (!"error".equals(body.path("type").asText(null))) return false;
      error = body;
    }
    String type = error.path("code").asNonEmptyText();
    if (type == null) type = error.path("type").asNonEmptyText();
    facts.response.errorType = type != null ? type : fallback;
    String message = error.isString() ? error.asNonEmptyText() : error.path("message").asNonEmptyText();
    if (message != null) facts.response.errorMessage = message;
    return true;
  }
}
