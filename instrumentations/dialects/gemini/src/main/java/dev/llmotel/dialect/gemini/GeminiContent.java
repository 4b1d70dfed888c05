package dev.llmotel.dialect.gemini;

import static dev.llmotel.dialect.support.ContentJson.clip;
import static dev.llmotel.dialect.support.ContentJson.optional;
import static dev.llmotel.dialect.support.ContentJson.quote;

import dev.llmotel.wire.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prompts and answers of the Gemini API in the GenAI semantic conventions' JSON shapes, built only when content
 * capture is on. Every text is cut at {@code maxChars} with a marker; the JSON stays valid.
 *
 * <ul>
 *   <li>input messages: {@code contents} as {@code [{"role","parts":[...]}]}, role {@code user} → {@code user},
 *       {@code model} → {@code assistant}, a message of function responses only → {@code tool}; parts {@code text}
 *       ({@code reasoning} when marked {@code thought}), {@code inlineData} → {@code blob} with its modality and MIME
 *       type but without its data, {@code fileData} → {@code uri}, {@code functionCall} → {@code tool_call},
 *       {@code functionResponse} → {@code tool_call_response};</li>
 *   <li>system instructions: {@code systemInstruction}'s text parts;</li>
 *   <li>tool definitions: each of {@code tools[].functionDeclarations} as {@code {"type":"function","name",
 *       "description","parameters"}}; a built-in tool ({@code googleSearch}, {@code codeExecution}, ...) as
 *       {@code {"type": its name}};</li>
 *   <li>output messages: one per candidate, its parts assembled from the whole response or the stream's chunks,
 *       with the conventions' finish reason ({@link GeminiResponse#finishReason}; {@code error} when the candidate
 *       never finished).</li>
 * </ul>
 */
final class GeminiContent {
  private static final int MAX_CANDIDATES = 128;
  private static final int MAX_PARTS = 256;

  private GeminiContent() {}

  /** The request's {@code contents}, or null when there are none. */
  static String inputMessages(JsonValue request, int maxChars) {
    JsonValue contents = request.path("contents");
    if (contents.isObject()) {
      StringBuilder out = new StringBuilder("[");
      message(out, contents, maxChars);
      return out.append(']').toString();
    }
    if (!contents.isArray() || contents.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < contents.retainedSize(); i++) {
      if (i > 0) out.append(',');
      message(out, contents.get(i), maxChars);
    }
    return out.append(']').toString();
  }

  private static void message(StringBuilder out, JsonValue content, int maxChars) {
    JsonValue parts = content.path("parts");
    out.append("{\"role\":");
    quote(out, role(content.path("role").asText("user"), parts), Integer.MAX_VALUE);
    out.append(",\"parts\":[");
    Parts written = new Parts(out);
    for (int p = 0; p < parts.retainedSize(); p++) inputPart(written, parts.get(p), maxChars);
    out.append("]}");
  }

  private static String role(String role, JsonValue parts) {
    if (role.equals("model")) return "assistant";
    if (role.equals("function") || role.equals("tool")) return "tool";
    if (parts.retainedSize() > 0) {
      boolean allResponses = true;
      for (int p = 0; p < parts.retainedSize() && allResponses; p++) {
        allResponses = field(parts.get(p), "functionResponse", "function_response").isObject();
      }
      if (allResponses) return "tool";
    }
    return role.equals("system") ? "system" : "user";
  }

  private static void inputPart(Parts parts, JsonValue part, int maxChars) {
    JsonValue text = part.path("text");
    if (text.isString()) {
      text(parts, part.path("thought").asBoolean(false) ? "reasoning" : "text", text.asText(""), text.isTruncated(),
          maxChars);
      return;
    }
    JsonValue inline = field(part, "inlineData", "inline_data");
    if (inline.isObject()) {
      String mime = field(inline, "mimeType", "mime_type").asNonEmptyText();
      parts.open("{\"type\":\"blob\",\"modality\":");
      quote(parts.out, modality(mime), Integer.MAX_VALUE);
      optional(parts.out, "mime_type", mime, maxChars);
      parts.out.append('}');
      return;
    }
    JsonValue file = field(part, "fileData", "file_data");
    if (file.isObject()) {
      String mime = field(file, "mimeType", "mime_type").asNonEmptyText();
      parts.open("{\"type\":\"uri\",\"modality\":");
      quote(parts.out, modality(mime), Integer.MAX_VALUE);
      optional(parts.out, "mime_type", mime, maxChars);
      parts.out.append(",\"uri\":");
      quote(parts.out, field(file, "fileUri", "file_uri").asText(""), maxChars);
      parts.out.append('}');
      return;
    }
    JsonValue call = field(part, "functionCall", "function_call");
    if (call.isObject()) {
      toolCall(parts, call, maxChars);
      return;
    }
    JsonValue response = field(part, "functionResponse", "function_response");
    if (response.isObject()) {
      parts.open("{\"type\":\"tool_call_response\"");
      optional(parts.out, "id", response.path("id").asNonEmptyText(), maxChars);
      parts.out.append(",\"response\":");
      JsonValue value = response.path("response");
      if (value.isObject() || value.isArray()) clip(parts.out, value, maxChars);
      else quote(parts.out, value.asText(""), value.isTruncated(), maxChars);
      parts.out.append('}');
    }
  }

  /** The modality a MIME type names: image, audio or video; anything else is a file's. */
  private static String modality(String mime) {
    if (mime == null) return "file";
    String m = mime.toLowerCase(Locale.ROOT);
    if (m.startsWith("image/")) return "image";
    if (m.startsWith("audio/")) return "audio";
    if (m.startsWith("video/")) return "video";
    return "file";
  }

  /** {@code systemInstruction}'s text parts (or a plain string), or null. */
  static String systemInstructions(JsonValue request, int maxChars) {
    JsonValue system = field(request, "systemInstruction", "system_instruction");
    StringBuilder out = new StringBuilder("[");
    Parts parts = new Parts(out);
    if (system.isString()) {
      text(parts, "text", system.asText(""), system.isTruncated(), maxChars);
    } else {
      JsonValue list = system.path("parts");
      for (int p = 0; p < list.retainedSize(); p++) {
        JsonValue text = list.get(p).path("text");
        if (text.isString()) text(parts, "text", text.asText(""), text.isTruncated(), maxChars);
      }
    }
    return parts.count == 0 ? null : out.append(']').toString();
  }

  /** The request's {@code tools}, or null. */
  static String toolDefinitions(JsonValue request, int maxChars) {
    JsonValue tools = request.path("tools");
    if (!tools.isArray() || tools.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    int n = 0;
    for (int i = 0; i < tools.retainedSize(); i++) {
      JsonValue tool = tools.get(i);
      for (int f = 0; f < tool.retainedSize(); f++) {
        String name = tool.fieldName(f);
        JsonValue value = tool.get(f);
        if ("functionDeclarations".equals(name) || "function_declarations".equals(name)) {
          for (int d = 0; d < value.retainedSize(); d++) {
            JsonValue fn = value.get(d);
            if (n++ > 0) out.append(',');
            out.append("{\"type\":\"function\",\"name\":");
            quote(out, fn.path("name").asText(""), maxChars);
            optional(out, "description", fn.path("description").asNonEmptyText(), maxChars);
            JsonValue parameters = fn.path("parameters");
            if (!parameters.isObject()) parameters = field(fn, "parametersJsonSchema", "parameters_json_schema");
            if (parameters.isObject()) {
              out.append(",\"parameters\":");
              clip(out, parameters, maxChars);
            }
            out.append('}');
          }
        } else if (name != null) {
          if (n++ > 0) out.append(',');
          out.append("{\"type\":");
          quote(out, name, maxChars);
          out.append('}');
        }
      }
    }
    return n == 0 ? null : out.append(']').toString();
  }

  /** Assembles the candidates of one whole response or of a stream's chunks, per candidate index. */
  static final class OutputAssembler {
    private final int maxChars;
    private final List<Candidate> candidates = new ArrayList<Candidate>(1);

    OutputAssembler(int maxChars) {
      this.maxChars = maxChars;
    }

    void onResponse(JsonValue body) {
      JsonValue list = body.path("candidates");
      for (int i = 0; i < list.retainedSize(); i++) {
        JsonValue c = list.get(i);
        long index = c.path("index").asLong(i);
        if (index < 0 || index >= MAX_CANDIDATES) continue;
        while (candidates.size() <= index) candidates.add(new Candidate(maxChars));
        Candidate candidate = candidates.get((int) index);
        JsonValue parts = c.path("content").path("parts");
        for (int p = 0; p < parts.retainedSize(); p++) candidate.add(parts.get(p));
        String reason = c.path("finishReason").asNonEmptyText();
        if (reason != null) candidate.finishReason = reason;
      }
    }

    /** The messages, or null when no candidate arrived. */
    String outputMessages() {
      if (candidates.isEmpty()) return null;
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < candidates.size(); i++) {
        if (i > 0) out.append(',');
        candidates.get(i).render(out, maxChars);
      }
      return out.append(']').toString();
    }
  }

  /**
   * One candidate's parts in order; consecutive text pieces (of the same kind: text or thought) are joined, as a
   * stream sends them in pieces.
   */
  private static final class Candidate {
    private final int maxChars;
    private final List<Object> parts = new ArrayList<Object>(2);
    private boolean calledTool;
    String finishReason;

    Candidate(int maxChars) {
      this.maxChars = maxChars;
    }

    void add(JsonValue part) {
      JsonValue text = part.path("text");
      if (text.isString()) {
        String type = part.path("thought").asBoolean(false) ? "reasoning" : "text";
        Object last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
        Text t;
        if (last instanceof Text && ((Text) last).type.equals(type)) {
          t = (Text) last;
        } else {
          if (parts.size() >= MAX_PARTS) return;
          t = new Text(type, maxChars);
          parts.add(t);
        }
        t.append(text);
        return;
      }
      JsonValue call = field(part, "functionCall", "function_call");
      if (call.isObject() && parts.size() < MAX_PARTS) {
        calledTool = true;
        parts.add(call);
      }
    }

    void render(StringBuilder out, int maxChars) {
      out.append("{\"role\":\"assistant\",\"parts\":[");
      Parts written = new Parts(out);
      for (Object part : parts) {
        if (part instanceof Text) {
          Text t = (Text) part;
          text(written, t.type, t.sb.toString(), t.cut, maxChars);
        } else {
          toolCall(written, (JsonValue) part, maxChars);
        }
      }
      out.append("],\"finish_reason\":");
      quote(out, finishReason == null ? "error" : GeminiResponse.finishReason(finishReason, calledTool),
          Integer.MAX_VALUE);
      out.append('}');
    }
  }

  /** Text assembled from pieces, kept up to the limit; remembers whether anything was left out. */
  private static final class Text {
    final String type;
    private final int maxChars;
    final StringBuilder sb = new StringBuilder();
    boolean cut;

    Text(String type, int maxChars) {
      this.type = type;
      this.maxChars = maxChars;
    }

    void append(JsonValue piece) {
      String s = piece.asText("");
      int room = maxChars - sb.length();
      if (s.length() > room || piece.isTruncated()) cut = true;
      if (room > 0 && !s.isEmpty()) sb.append(s, 0, Math.min(room, s.length()));
    }
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

  private static void text(Parts parts, String type, String s, boolean alreadyCut, int maxChars) {
    parts.open("{\"type\":\"" + type + "\",\"content\":");
    quote(parts.out, s, alreadyCut, maxChars);
    parts.out.append('}');
  }

  /** Gemini's {@code {"id"?, "name", "args": {...}}}. */
  private static void toolCall(Parts parts, JsonValue call, int maxChars) {
    parts.open("{\"type\":\"tool_call\"");
    optional(parts.out, "id", call.path("id").asNonEmptyText(), maxChars);
    parts.out.append(",\"name\":");
    quote(parts.out, call.path("name").asText(""), maxChars);
    JsonValue args = call.path("args");
    if (args.isObject() || args.isArray()) {
      parts.out.append(",\"arguments\":");
      clip(parts.out, args, maxChars);
    }
    parts.out.append('}');
  }

  static JsonValue field(JsonValue object, String camel, String snake) {
    return GeminiRequest.field(object, camel, snake);
  }
}
