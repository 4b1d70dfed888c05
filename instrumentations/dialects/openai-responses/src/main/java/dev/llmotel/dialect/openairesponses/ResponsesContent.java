package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.support.ContentJson;

import static dev.llmotel.dialect.support.ContentJson.optional;
import static dev.llmotel.dialect.support.ContentJson.quote;

import dev.llmotel.wire.JsonValue;

/**
 * The prompt side of a Responses request in the GenAI semantic conventions' JSON shapes, built only when content
 * capture is on (the output side is {@link ResponsesOutput}). Every text is cut at {@code maxChars} with a marker; the
 * JSON stays valid; identifiers (call ids, tool names) are kept whole.
 *
 * <ul>
 *   <li>input messages: {@code input} as a string is one user message; as items, each item is one message:
 *       {@code message} items ({@code developer} reads as {@code system}) with {@code text}, {@code uri},
 *       {@code file} and {@code blob} parts, {@code function_call} / {@code custom_tool_call} as an assistant
 *       {@code tool_call}, their outputs as a {@code tool} message's {@code tool_call_response}, {@code reasoning}
 *       summaries as an assistant {@code reasoning} part; other items (references, built-in tool calls) are left out;
 *   <li>system instructions: {@code instructions} as one {@code text} part;
 *   <li>tool definitions: {@code [{"type","name","description"?,"parameters"?}]}; a built-in tool without a name is
 *       named by its MCP server label or its type.
 * </ul>
 */
final class ResponsesContent {
  private ResponsesContent() {}

  /** The request's {@code input}, or null when there is none. */
  static String inputMessages(JsonValue request, int maxChars) {
    JsonValue input = request.path("input");
    if (input.isString()) {
      StringBuilder out = new StringBuilder("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":");
      quote(out, input, maxChars);
      return out.append("}]}]").toString();
    }
    if (!input.isArray()) return null;
    StringBuilder out = new StringBuilder("[");
    int messages = 0;
    for (int i = 0; i < input.retainedSize(); i++) {
      int mark = out.length();
      if (messages > 0) out.append(',');
      if (inputItem(out, input.get(i), maxChars)) messages++;
      else out.setLength(mark);
    }
    return messages == 0 ? null : out.append(']').toString();
  }

  /** Writes one input item as a message; false when the item has no message form. */
  private static boolean inputItem(StringBuilder out, JsonValue item, int maxChars) {
    if (!item.isObject()) return false;
    String type = item.path("type").asText("message");
    switch (type) {
      case "message": {
        String role = item.path("role").asText("user");
        if (role.equals("developer")) role = "system";
        out.append("{\"role\":");
        quote(out, role, maxChars);
        out.append(",\"parts\":[");
        contentParts(out, item.path("content"), maxChars);
        out.append("]}");
        return true;
      }
      case "function_call":
      case "custom_tool_call": {
        out.append("{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\"");
        optional(out, "id", item.path("call_id").asNonEmptyText(), Integer.MAX_VALUE);
        out.append(",\"name\":");
        quote(out, item.path("name").asText(""), Integer.MAX_VALUE);
        out.append(",\"arguments\":");
        JsonValue args = item.path(type.equals("function_call") ? "arguments" : "input");
        ContentJson.arguments(out, args.asText(""), args.isTruncated(), maxChars);
        out.append("}]}");
        return true;
      }
      case "function_call_output":
      case "custom_tool_call_output": {
        out.append("{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\"");
        optional(out, "id", item.path("call_id").asNonEmptyText(), Integer.MAX_VALUE);
        out.append(",\"response\":");
        JsonValue output = item.path("output");
        if (output.isString()) quote(out, output, maxChars);
        else quote(out, texts(output), maxChars);
        out.append("}]}");
        return true;
      }
      case "reasoning": {
        JsonValue summary = item.path("summary");
        if (summary.retainedSize() == 0) return false;
        out.append("{\"role\":\"assistant\",\"parts\":[");
        for (int s = 0; s < summary.retainedSize(); s++) {
          if (s > 0) out.append(',');
          out.append("{\"type\":\"reasoning\",\"content\":");
          quote(out, summary.get(s).path("text"), maxChars);
          out.append('}');
        }
        out.append("]}");
        return true;
      }
      default:
        return false;
    }
  }

  private static void contentParts(StringBuilder out, JsonValue content, int maxChars) {
    if (content.isString()) {
      out.append("{\"type\":\"text\",\"content\":");
      quote(out, content, maxChars);
      out.append('}');
      return;
    }
    int parts = 0;
    for (int i = 0; i < content.retainedSize(); i++) {
      JsonValue p = content.get(i);
      int mark = out.length();
      if (parts > 0) out.append(',');
      if (contentPart(out, p, maxChars)) parts++;
      else out.setLength(mark);
    }
  }

  private static boolean contentPart(StringBuilder out, JsonValue p, int maxChars) {
    switch (p.path("type").asText("")) {
      case "input_text":
      case "output_text":
      case "text":
        out.append("{\"type\":\"text\",\"content\":");
        quote(out, p.path("text"), maxChars);
        out.append('}');
        return true;
      case "refusal":
        out.append("{\"type\":\"text\",\"content\":");
        quote(out, p.path("refusal"), maxChars);
        out.append('}');
        return true;
      case "input_image":
        if (p.path("image_url").isString()) {
          out.append("{\"type\":\"uri\",\"modality\":\"image\",\"uri\":");
          quote(out, p.path("image_url"), maxChars);
        } else if (p.path("file_id").isString()) {
          out.append("{\"type\":\"file\",\"modality\":\"image\",\"file_id\":");
          quote(out, p.path("file_id"), maxChars);
        } else {
          return false;
        }
        out.append('}');
        return true;
      case "input_file":
        if (p.path("file_id").isString()) {
          out.append("{\"type\":\"file\",\"file_id\":");
          quote(out, p.path("file_id"), maxChars);
        } else if (p.path("file_url").isString()) {
          out.append("{\"type\":\"uri\",\"uri\":");
          quote(out, p.path("file_url"), maxChars);
        } else {
          return false;
        }
        out.append('}');
        return true;
      case "input_audio":
        out.append("{\"type\":\"blob\",\"modality\":\"audio\",\"mime_type\":");
        quote(out, "audio/" + p.path("input_audio").path("format").asText("wav"), maxChars);
        out.append(",\"content\":");
        quote(out, p.path("input_audio").path("data"), maxChars);
        out.append('}');
        return true;
      default:
        return false;
    }
  }

  /** The request's {@code instructions}, or null. */
  static String systemInstructions(JsonValue request, int maxChars) {
    JsonValue instructions = request.path("instructions");
    if (!instructions.isString()) return null;
    StringBuilder out = new StringBuilder("[{\"type\":\"text\",\"content\":");
    quote(out, instructions, maxChars);
    return out.append("}]").toString();
  }

  /** The request's {@code tools}, or null. */
  static String toolDefinitions(JsonValue request, int maxChars) {
    JsonValue tools = request.path("tools");
    if (!tools.isArray() || tools.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < tools.retainedSize(); i++) {
      JsonValue tool = tools.get(i);
      String type = tool.path("type").asText("function");
      String name = tool.path("name").asNonEmptyText();
      if (name == null) name = tool.path("server_label").asNonEmptyText();
      if (name == null) name = type;
      if (i > 0) out.append(',');
      out.append("{\"type\":");
      quote(out, type, Integer.MAX_VALUE);
      out.append(",\"name\":");
      quote(out, name, Integer.MAX_VALUE);
      optional(out, "description", tool.path("description").asNonEmptyText(), maxChars);
      if (tool.path("parameters").isObject()) {
        out.append(",\"parameters\":");
        ContentJson.clip(out, tool.path("parameters").toString(), maxChars);
      }
      out.append('}');
    }
    return out.append(']').toString();
  }

  /** The text of a string, or of the {@code text} fields of an array of content parts. */
  private static String texts(JsonValue content) {
    if (content.isString()) return content.asText("");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < content.retainedSize(); i++) {
      JsonValue p = content.get(i);
      if (p.path("text").isString()) sb.append(p.path("text").asText(""));
    }
    return sb.toString();
  }
}
