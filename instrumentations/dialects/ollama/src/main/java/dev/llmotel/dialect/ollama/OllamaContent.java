package dev.llmotel.dialect.ollama;

import static dev.llmotel.dialect.support.ContentJson.clip;
import static dev.llmotel.dialect.support.ContentJson.optional;
import static dev.llmotel.dialect.support.ContentJson.quote;

import dev.llmotel.wire.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompts and completions of Ollama's API in the GenAI semantic conventions' JSON shapes, built only when content
 * capture is on. Every text is cut at {@code maxChars} with a marker; the JSON stays valid.
 *
 * <ul>
 *   <li>input messages: chat {@code messages} as {@code [{"role","parts":[...]}]} with parts {@code text},
 *       {@code reasoning} (an assistant's {@code thinking}), {@code tool_call} (from {@code tool_calls}),
 *       {@code tool_call_response} (a {@code tool} message) and one {@code blob} of modality {@code image} per image,
 *       without its data (base64 images are bulk, not text); generate's {@code prompt} (and images) as one user
 *       message;
 *   <li>system instructions: generate's {@code system} (chat keeps its system messages among the input messages);
 *   <li>tool definitions: {@code [{"type":"function","name","description","parameters"}]};
 *   <li>output message: the assistant's {@code message} (chat) or {@code response} (generate), whole or assembled from
 *       the stream's lines, with its {@code finish_reason}: {@code done_reason}, {@code tool_call} when the message
 *       calls tools, {@code error} when the stream never finished.
 * </ul>
 */
final class OllamaContent {
  private static final int MAX_TOOL_CALLS = 128;

  private OllamaContent() {}

  /** The request's messages (chat) or prompt (generate), or null when there are none. */
  static String inputMessages(OllamaDialect.Route route, JsonValue request, int maxChars) {
    if (route == OllamaDialect.Route.GENERATE) return promptMessage(request, maxChars);
    if (route != OllamaDialect.Route.CHAT) return null;
    JsonValue messages = request.path("messages");
    if (!messages.isArray() || messages.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < messages.retainedSize(); i++) {
      JsonValue m = messages.get(i);
      if (i > 0) out.append(',');
      String role = m.path("role").asText("user");
      out.append("{\"role\":");
      quote(out, role, Integer.MAX_VALUE);
      out.append(",\"parts\":[");
      Parts parts = new Parts(out);
      if (role.equals("tool")) {
        parts.open("{\"type\":\"tool_call_response\"");
        optional(out, "id", m.path("tool_call_id").asNonEmptyText(), maxChars);
        out.append(",\"response\":");
        quote(out, m.path("content"), maxChars);
        out.append('}');
      } else {
        text(parts, "reasoning", m.path("thinking"), maxChars);
        text(parts, "text", m.path("content"), maxChars);
        images(parts, m.path("images"));
        JsonValue calls = m.path("tool_calls");
        for (int c = 0; c < calls.retainedSize(); c++) toolCall(parts, calls.get(c), maxChars);
        if (parts.count == 0 && m.path("content").isString()) text(parts, "text", "", false, maxChars);
      }
      out.append("]}");
    }
    return out.append(']').toString();
  }

  /** Generate's {@code system}, or null. */
  static String systemInstructions(OllamaDialect.Route route, JsonValue request, int maxChars) {
    if (route != OllamaDialect.Route.GENERATE) return null;
    JsonValue system = request.path("system");
    if (system.asNonEmptyText() == null) return null;
    StringBuilder out = new StringBuilder("[");
    text(new Parts(out), "text", system, maxChars);
    return out.append(']').toString();
  }

  /** The request's {@code tools}, or null. */
  static String toolDefinitions(JsonValue request, int maxChars) {
    JsonValue tools = request.path("tools");
    if (!tools.isArray() || tools.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < tools.retainedSize(); i++) {
      JsonValue tool = tools.get(i);
      JsonValue fn = tool.path("function");
      if (i > 0) out.append(',');
      out.append("{\"type\":");
      quote(out, tool.path("type").asText("function"), maxChars);
      out.append(",\"name\":");
      quote(out, fn.path("name").asText(""), maxChars);
      optional(out, "description", fn.path("description").asNonEmptyText(), maxChars);
      if (fn.path("parameters").isObject()) {
        out.append(",\"parameters\":");
        clip(out, fn.path("parameters"), maxChars);
      }
      out.append('}');
    }
    return out.append(']').toString();
  }

  /** A whole chat or generate response's output message, or null when it has none. */
  static String outputMessages(OllamaDialect.Route route, JsonValue response, int maxChars) {
    OutputAssembler assembler = new OutputAssembler(route, maxChars);
    assembler.onObject(response);
    return assembler.outputMessages();
  }

  /**
   * The assistant's message of a chat or generate call, from one whole response or assembled from a stream's lines
   * (text and thinking are concatenated, tool calls collected; each text kept up to the limit).
   */
  static final class OutputAssembler {
    private final OllamaDialect.Route route;
    private final int maxChars;
    private final Text text;
    private final Text thinking;
    private final List<JsonValue> toolCalls = new ArrayList<JsonValue>(0);
    private String doneReason;
    private boolean any;

    OutputAssembler(OllamaDialect.Route route, int maxChars) {
      this.route = route;
      this.maxChars = maxChars;
      this.text = new Text(maxChars);
      this.thinking = new Text(maxChars);
    }

    /** One line of a stream, or a whole response. */
    void onObject(JsonValue body) {
      if (body == null || !body.isObject()) return;
      JsonValue source = route == OllamaDialect.Route.CHAT ? body.path("message") : body;
      JsonValue content = source.path(route == OllamaDialect.Route.CHAT ? "content" : "response");
      if (source.isObject() || content.isString()) any = true;
      text.append(content);
      thinking.append(source.path("thinking"));
      JsonValue calls = source.path("tool_calls");
      for (int i = 0; i < calls.retainedSize() && toolCalls.size() < MAX_TOOL_CALLS; i++) toolCalls.add(calls.get(i));
      if (body.path("done").asBoolean(false)) doneReason = body.path("done_reason").asNonEmptyText();
    }

    /** The message, or null when no line carried one. */
    String outputMessages() {
      if (!any) return null;
      StringBuilder out = new StringBuilder("[{\"role\":\"assistant\",\"parts\":[");
      Parts parts = new Parts(out);
      if (thinking.length() > 0) text(parts, "reasoning", thinking.toString(), thinking.cut, maxChars);
      if (text.length() > 0 || toolCalls.isEmpty()) text(parts, "text", text.toString(), text.cut, maxChars);
      for (JsonValue call : toolCalls) toolCall(parts, call, maxChars);
      out.append("],\"finish_reason\":");
      quote(out, finishReason(doneReason, !toolCalls.isEmpty()), Integer.MAX_VALUE);
      return out.append("}]").toString();
    }
  }

  /** Text assembled from pieces, kept up to the limit; remembers whether anything was left out. */
  private static final class Text {
    private final int maxChars;
    private final StringBuilder sb = new StringBuilder();
    boolean cut;

    Text(int maxChars) {
      this.maxChars = maxChars;
    }

    void append(JsonValue piece) {
      String s = piece.asText("");
      int room = maxChars - sb.length();
      if (s.length() > room || (piece.isString() && piece.isTruncated())) cut = true;
      if (room > 0 && !s.isEmpty()) sb.append(s, 0, Math.min(room, s.length()));
    }

    int length() {
      return sb.length();
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }

  /**
   * The conventions' finish reason for Ollama's {@code done_reason}: {@code tool_call} when the message calls tools
   * (Ollama then says {@code stop}), {@code error} when the response never finished, else the reason as given.
   */
  static String finishReason(String doneReason, boolean callsTools) {
    if (doneReason == null) return "error";
    if (callsTools && doneReason.equals("stop")) return "tool_call";
    return doneReason;
  }

  private static String promptMessage(JsonValue request, int maxChars) {
    JsonValue prompt = request.path("prompt");
    JsonValue images = request.path("images");
    if (prompt.asNonEmptyText() == null && images.size() == 0) return null;
    StringBuilder out = new StringBuilder("[{\"role\":\"user\",\"parts\":[");
    Parts parts = new Parts(out);
    text(parts, "text", prompt, maxChars);
    images(parts, images);
    return out.append("]}]").toString();
  }

  /** The parts of one message being written, separated by commas. */
  private static final class Parts {
    final StringBuilder out;
    int count;

    Parts(StringBuilder out) {
      this.out = out;
    }

    void open(String opening) {
      if (count++ > 0) out.append(',');
      out.append(opening);
    }
  }

  /** A {@code text} or {@code reasoning} part, when the value is a non-empty string. */
  private static void text(Parts parts, String type, JsonValue value, int maxChars) {
    String s = value.asNonEmptyText();
    if (s != null) text(parts, type, s, value.isTruncated(), maxChars);
  }

  private static void text(Parts parts, String type, String s, boolean alreadyCut, int maxChars) {
    parts.open("{\"type\":\"" + type + "\",\"content\":");
    quote(parts.out, s, alreadyCut, maxChars);
    parts.out.append('}');
  }

  /** One {@code blob} part of modality image per image; the base64 data is left out (it is kept only counted). */
  private static void images(Parts parts, JsonValue images) {
    if (!images.isArray()) return;
    long n = Math.min(images.size(), 64);
    for (long i = 0; i < n; i++) parts.open("{\"type\":\"blob\",\"modality\":\"image\"}");
  }

  /** Ollama's {@code {"id"?, "function": {"name", "arguments": {...}}}}. */
  private static void toolCall(Parts parts, JsonValue call, int maxChars) {
    parts.open("{\"type\":\"tool_call\"");
    optional(parts.out, "id", call.path("id").asNonEmptyText(), maxChars);
    JsonValue fn = call.path("function");
    parts.out.append(",\"name\":");
    quote(parts.out, fn.path("name").asText(""), maxChars);
    parts.out.append(",\"arguments\":");
    JsonValue args = fn.path("arguments");
    if (args.isObject() || args.isArray()) clip(parts.out, args, maxChars);
    else quote(parts.out, args, maxChars);
    parts.out.append('}');
  }
}
