package dev.llmotel.dialect.openai;

import static dev.llmotel.dialect.support.ContentJson.clip;
import static dev.llmotel.dialect.support.ContentJson.optional;
import static dev.llmotel.dialect.support.ContentJson.quote;

import dev.llmotel.dialect.support.ContentJson;
import dev.llmotel.wire.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompts and completions of the OpenAI chat format in the GenAI semantic conventions' JSON shapes, built only when
 * content capture is on. Every text is cut at {@code maxChars} with a marker; the resulting JSON stays valid.
 *
 * <ul>
 *   <li>input messages: {@code [{"role","parts":[...],"name"?}]}; parts {@code text}, {@code tool_call},
 *       {@code tool_call_response}, {@code uri} (image URLs), {@code blob} (audio)
 *   <li>output messages: one per choice, {@code {"role":"assistant","parts":[...],"finish_reason"}}
 *   <li>tool definitions: {@code [{"type":"function","name","description","parameters"}]}
 * </ul>
 */
final class OpenAiContent {
  private OpenAiContent() {}

  /** The request's {@code messages}, or null when there are none. */
  static String inputMessages(JsonValue request, int maxChars) {
    JsonValue messages = request.path("messages");
    if (!messages.isArray() || messages.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < messages.retainedSize(); i++) {
      JsonValue m = messages.get(i);
      if (i > 0) out.append(',');
      String role = m.path("role").asText("user");
      if (role.equals("developer")) role = "system";
      out.append("{\"role\":");
      quote(out, role, Integer.MAX_VALUE);
      out.append(",\"parts\":[");
      int parts = 0;
      if (role.equals("tool")) {
        parts = part(out, parts, "{\"type\":\"tool_call_response\"");
        optional(out, "id", m.path("tool_call_id").asNonEmptyText(), maxChars);
        out.append(",\"response\":");
        quote(out, text(m.path("content")), maxChars);
        out.append('}');
      } else {
        parts = contentParts(out, parts, m.path("content"), maxChars);
        JsonValue calls = m.path("tool_calls");
        for (int c = 0; c < calls.retainedSize(); c++) {
          JsonValue call = calls.get(c);
          parts = part(out, parts, "{\"type\":\"tool_call\"");
          optional(out, "id", call.path("id").asNonEmptyText(), maxChars);
          out.append(",\"name\":");
          quote(out, call.path("function").path("name").asText(""), maxChars);
          out.append(",\"arguments\":");
          arguments(out, call.path("function").path("arguments"), maxChars);
          out.append('}');
        }
      }
      out.append(']');
      optional(out, "name", m.path("name").asNonEmptyText(), maxChars);
      out.append('}');
    }
    return out.append(']').toString();
  }

  /** The request's {@code tools}, or null. */
  static String toolDefinitions(JsonValue request, int maxChars) {
    JsonValue tools = request.path("tools");
    if (!tools.isArray() || tools.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < tools.retainedSize(); i++) {
      JsonValue fn = tools.get(i).path("function");
      if (i > 0) out.append(',');
      out.append("{\"type\":");
      quote(out, tools.get(i).path("type").asText("function"), maxChars);
      out.append(",\"name\":");
      quote(out, fn.path("name").asText(""), maxChars);
      optional(out, "description", fn.path("description").asNonEmptyText(), maxChars);
      if (fn.path("parameters").isObject()) {
        out.append(",\"parameters\":");
        clip(out, fn.path("parameters").toString(), maxChars);
      }
      out.append('}');
    }
    return out.append(']').toString();
  }

  /** A non-streamed response's {@code choices}, or null. */
  static String outputMessages(JsonValue response, int maxChars) {
    JsonValue choices = response.path("choices");
    if (!choices.isArray() || choices.retainedSize() == 0) return null;
    List<Choice> list = new ArrayList<>();
    for (int i = 0; i < choices.retainedSize(); i++) {
      JsonValue c = choices.get(i);
      Choice choice = new Choice(maxChars);
      JsonValue message = c.path("message");
      choice.text.append(text(message.path("content")));
      if (message.path("refusal").isString()) choice.text.append(message.path("refusal").asText(""));
      JsonValue calls = message.path("tool_calls");
      for (int t = 0; t < calls.retainedSize(); t++) {
        ToolCall call = choice.call(t);
        call.id = calls.get(t).path("id").asNonEmptyText();
        call.name.append(calls.get(t).path("function").path("name").asText(""));
        call.arguments.append(calls.get(t).path("function").path("arguments").asText(""));
      }
      choice.finishReason = c.path("finish_reason").asNonEmptyText();
      list.add(choice);
    }
    return render(list, maxChars);
  }

  /** Assembles output messages from streamed deltas, per choice index; text kept up to the limit. */
  static final class StreamAssembler {
    private final int maxChars;
    private final List<Choice> choices = new ArrayList<>(1);

    StreamAssembler(int maxChars) {
      this.maxChars = maxChars;
    }

    void onChunk(JsonValue chunk) {
      JsonValue cs = chunk.path("choices");
      for (int i = 0; i < cs.retainedSize(); i++) {
        JsonValue c = cs.get(i);
        int index = (int) c.path("index").asLong(i);
        if (index < 0 || index > 127) continue;
        while (choices.size() <= index) choices.add(new Choice(maxChars));
        Choice choice = choices.get(index);
        JsonValue delta = c.path("delta");
        choice.append(choice.text, delta.path("content").asText(""));
        choice.append(choice.text, delta.path("refusal").asText(""));
        JsonValue calls = delta.path("tool_calls");
        for (int t = 0; t < calls.retainedSize(); t++) {
          JsonValue d = calls.get(t);
          ToolCall call = choice.call((int) d.path("index").asLong(t));
          if (call == null) continue;
          if (d.path("id").isString()) call.id = d.path("id").asText(null);
          choice.append(call.name, d.path("function").path("name").asText(""));
          choice.append(call.arguments, d.path("function").path("arguments").asText(""));
        }
        if (c.path("finish_reason").isString()) choice.finishReason = c.path("finish_reason").asText(null);
      }
    }

    /** The assembled messages, or null when no choice arrived. */
    String outputMessages() {
      return choices.isEmpty() ? null : render(choices, maxChars);
    }
  }

  private static String render(List<Choice> choices, int maxChars) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < choices.size(); i++) {
      Choice c = choices.get(i);
      if (i > 0) out.append(',');
      out.append("{\"role\":\"assistant\",\"parts\":[");
      int parts = 0;
      if (c.text.length() > 0) {
        parts = part(out, parts, "{\"type\":\"text\",\"content\":");
        quote(out, c.text.toString(), maxChars);
        out.append('}');
      }
      for (ToolCall call : c.calls) {
        parts = part(out, parts, "{\"type\":\"tool_call\"");
        optional(out, "id", call.id, maxChars);
        out.append(",\"name\":");
        quote(out, call.name.toString(), maxChars);
        out.append(",\"arguments\":");
        ContentJson.arguments(out, call.arguments.toString(), false, maxChars);
        out.append('}');
      }
      out.append("],\"finish_reason\":");
      quote(out, finishReason(c.finishReason), Integer.MAX_VALUE);
      out.append('}');
    }
    return out.append(']').toString();
  }

  /** The conventions' finish reasons: stop, length, content_filter, tool_call, error. */
  static String finishReason(String openAi) {
    if (openAi == null) return "error";
    switch (openAi) {
      case "tool_calls":
      case "function_call":
        return "tool_call";
      default:
        return openAi;
    }
  }

  private static final class Choice {
    final int maxChars;
    final StringBuilder text = new StringBuilder();
    final List<ToolCall> calls = new ArrayList<>(0);
    String finishReason;

    Choice(int maxChars) {
      this.maxChars = maxChars;
    }

    ToolCall call(int index) {
      if (index < 0 || index > 127) return null;
      while (calls.size() <= index) calls.add(new ToolCall());
      return calls.get(index);
    }

    /** Appends while under the limit (+1, so rendering can tell the text was cut). */
    void append(StringBuilder sb, String s) {
      int room = maxChars + 1 - sb.length();
      if (room > 0 && !s.isEmpty()) sb.append(s, 0, Math.min(room, s.length()));
    }
  }

  private static final class ToolCall {
    String id;
    final StringBuilder name = new StringBuilder();
    final StringBuilder arguments = new StringBuilder();
  }

  private static int part(StringBuilder out, int parts, String opening) {
    if (parts > 0) out.append(',');
    out.append(opening);
    return parts + 1;
  }

  private static int contentParts(StringBuilder out, int parts, JsonValue content, int maxChars) {
    if (content.isString()) {
      parts = part(out, parts, "{\"type\":\"text\",\"content\":");
      quote(out, content.asText(""), content.isTruncated(), maxChars);
      return partEnd(out, parts);
    }
    for (int i = 0; i < content.retainedSize(); i++) {
      JsonValue p = content.get(i);
      String type = p.path("type").asText("");
      if (type.equals("text")) {
        parts = part(out, parts, "{\"type\":\"text\",\"content\":");
        quote(out, p.path("text").asText(""), maxChars);
        out.append('}');
      } else if (type.equals("image_url")) {
        parts = part(out, parts, "{\"type\":\"uri\",\"modality\":\"image\",\"uri\":");
        quote(out, p.path("image_url").path("url").asText(""), maxChars);
        out.append('}');
      } else if (type.equals("input_audio")) {
        parts = part(out, parts, "{\"type\":\"blob\",\"modality\":\"audio\",\"mime_type\":");
        quote(out, "audio/" + p.path("input_audio").path("format").asText("wav"), maxChars);
        out.append(",\"content\":");
        quote(out, p.path("input_audio").path("data").asText(""), maxChars);
        out.append('}');
      } else if (type.equals("file")) {
        parts = part(out, parts, "{\"type\":\"file\",\"file_id\":");
        quote(out, p.path("file").path("file_id").asText(""), maxChars);
        out.append('}');
      }
    }
    return parts;
  }

  private static int partEnd(StringBuilder out, int parts) {
    out.append('}');
    return parts;
  }

  private static String text(JsonValue content) {
    if (content.isString()) return content.asText("");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < content.retainedSize(); i++) {
      JsonValue p = content.get(i);
      if (p.path("text").isString()) sb.append(p.path("text").asText(""));
    }
    return sb.toString();
  }

  /** Tool-call arguments: the JSON object itself when they parse as one, else the string. */
  private static void arguments(StringBuilder out, JsonValue args, int maxChars) {
    if (args.isObject()) clip(out, args.toString(), maxChars);
    else ContentJson.arguments(out, args.asText(""), args.isString() && args.isTruncated(), maxChars);
  }
}
