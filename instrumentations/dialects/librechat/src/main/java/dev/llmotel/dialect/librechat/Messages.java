package dev.llmotel.dialect.librechat;

import dev.llmotel.dialect.support.ContentJson;
import dev.llmotel.wire.JsonValue;

/** The content attributes of a turn (capture only) and the message of an error body or frame. */
final class Messages {
  private Messages() {}

  /** {@code [{"role":"user","parts":[{"type":"text","content":...}]}]}, or null when there is no question text. */
  static String user(JsonValue text, int maxChars) {
    if (!text.isString()) return null;
    StringBuilder out = new StringBuilder(64).append("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":");
    ContentJson.quote(out, text, maxChars);
    return out.append("}]}]").toString();
  }

  /**
   * The answer as {@code [{"role":"assistant","parts":[...],"finish_reason":...}]}: its {@code text}, else the text
   * parts of its {@code content}; null when it has neither.
   */
  static String assistant(JsonValue answer, String finishReason, int maxChars) {
    StringBuilder out = new StringBuilder(64).append("[{\"role\":\"assistant\",\"parts\":[");
    int parts = 0;
    JsonValue text = answer.path("text");
    if (text.isString() && !text.asText("").isEmpty()) {
      part(out, text, maxChars);
      parts++;
    } else {
      JsonValue content = answer.path("content");
      for (int i = 0; content.isArray() && i < content.retainedSize(); i++) {
        JsonValue p = content.get(i);
        if (!"text".equals(p.path("type").asText(null)) || !p.path("text").isString()) continue;
        if (parts++ > 0) out.append(',');
        part(out, p.path("text"), maxChars);
      }
    }
    if (parts == 0) return null;
    out.append("],\"finish_reason\":");
    ContentJson.quote(out, finishReason, maxChars);
    return out.append("}]").toString();
  }

  private static void part(StringBuilder out, JsonValue text, int maxChars) {
    out.append("{\"type\":\"text\",\"content\":");
    ContentJson.quote(out, text, maxChars);
    out.append('}');
  }

  /** The message of an error body or frame: {@code message}, {@code error} (string or {@code error.message}), {@code text}. */
  static String error(JsonValue body) {
    if (body == null) return null;
    if (body.isString()) return LibreChatSession.clip(body.asNonEmptyText());
    if (!body.isObject()) return null;
    String m = body.path("message").asNonEmptyText();
    if (m == null) {
      JsonValue error = body.path("error");
      m = error.isString() ? error.asNonEmptyText() : error.path("message").asNonEmptyText();
    }
    if (m == null) m = body.path("text").asNonEmptyText();
    return LibreChatSession.clip(m);
  }
}
