package dev.llmotel.dialect.anthropic;

import static dev.llmotel.dialect.support.ContentJson.clip;
import static dev.llmotel.dialect.support.ContentJson.quote;

import dev.llmotel.dialect.support.MessageParts;
import dev.llmotel.dialect.support.StreamedBlocks;
import dev.llmotel.dialect.support.StreamedBlocks.Block;

import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import java.nio.charset.StandardCharsets;

/**
 * Prompts and completions of the Messages API in the GenAI semantic conventions' JSON shapes, built only when content
 * capture is on. Every text is cut at {@code maxChars} with a marker; the resulting JSON stays valid.
 *
 * <ul>
 *   <li>system instructions: the {@code system} string or text blocks as {@code text} parts
 *   <li>input messages: {@code [{"role","parts":[...]}]}; content blocks become parts: {@code text}, {@code tool_use}
 *       as {@code tool_call}, {@code tool_result} as {@code tool_call_response}, {@code thinking} as
 *       {@code reasoning}, images as {@code blob} (base64), {@code uri} (URL) or {@code file} (file id)
 *   <li>output messages: the one message, {@code [{"role":"assistant","parts":[...],"finish_reason"}]}
 *   <li>tool definitions: {@code [{"type","name","description","parameters"}]}, {@code type} {@code function} for
 *       the app's own tools, Anthropic's type for its server tools
 * </ul>
 */
final class AnthropicContent {
  private AnthropicContent() {}

  /** The request's {@code system}, or null. */
  static String systemInstructions(JsonValue request, int maxChars) {
    JsonValue system = request.path("system");
    Parts parts = new Parts(new StringBuilder("["), maxChars);
    if (system.isString()) {
      if (system.asText("").isEmpty()) return null;
      parts.open("text").string("content", system).close();
    } else {
      for (int i = 0; i < system.retainedSize(); i++) parts.block(system.get(i));
    }
    return parts.count() == 0 ? null : parts.out.append(']').toString();
  }

  /** The request's {@code messages}, or null when there are none. */
  static String inputMessages(JsonValue request, int maxChars) {
    JsonValue messages = request.path("messages");
    if (!messages.isArray() || messages.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < messages.retainedSize(); i++) {
      JsonValue m = messages.get(i);
      if (i > 0) out.append(',');
      out.append("{\"role\":");
      quote(out, m.path("role").asText("user"), false, Integer.MAX_VALUE);
      out.append(",\"parts\":[");
      Parts parts = new Parts(out, maxChars);
      JsonValue content = m.path("content");
      if (content.isString()) parts.open("text").string("content", content).close();
      else for (int b = 0; b < content.retainedSize(); b++) parts.block(content.get(b));
      out.append("]}");
    }
    return out.append(']').toString();
  }

  /** The request's {@code tools}, or null. */
  static String toolDefinitions(JsonValue request, int maxChars) {
    JsonValue tools = request.path("tools");
    if (!tools.isArray() || tools.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < tools.retainedSize(); i++) {
      JsonValue tool = tools.get(i);
      if (i > 0) out.append(',');
      String type = tool.path("type").asNonEmptyText();
      out.append("{\"type\":");
      quote(out, type == null || type.equals("custom") ? "function" : type, false, maxChars);
      out.append(",\"name\":");
      quote(out, tool.path("name").asText(""), tool.path("name").isTruncated(), maxChars);
      JsonValue description = tool.path("description");
      if (description.isString()) {
        out.append(",\"description\":");
        quote(out, description.asText(""), description.isTruncated(), maxChars);
      }
      if (tool.path("input_schema").isObject()) {
        out.append(",\"parameters\":");
        clip(out, tool.path("input_schema").toString(), maxChars);
      }
      out.append('}');
    }
    return out.append(']').toString();
  }

  /** A non-streamed response's message, or null when it has no content. */
  static String outputMessages(JsonValue response, String stopReason, int maxChars) {
    JsonValue content = response.path("content");
    if (!content.isArray()) return null;
    StringBuilder out = new StringBuilder("[{\"role\":\"assistant\",\"parts\":[");
    Parts parts = new Parts(out, maxChars);
    for (int i = 0; i < content.retainedSize(); i++) parts.block(content.get(i));
    return finish(out, stopReason);
  }

  private static String finish(StringBuilder out, String stopReason) {
    out.append("],\"finish_reason\":");
    quote(out, stopReason == null ? "error" : MessageFields.finishReason(stopReason), false, Integer.MAX_VALUE);
    return out.append("}]").toString();
  }

  /**
   * Assembles the output message from stream events: each {@code content_block_start} opens a block at its index,
   * {@code content_block_delta}s append text, tool input JSON or thinking to it; text is kept up to the limit.
   */
  static final class StreamAssembler {
    private final int maxChars;
    private final StreamedBlocks blocks;
    private String stopReason;

    StreamAssembler(int maxChars) {
      this.maxChars = maxChars;
      this.blocks = new StreamedBlocks(maxChars);
    }

    void onBlockStart(JsonValue event) {
      Block b = blocks.at(event.path("index").asLong(-1));
      if (b == null) return;
      JsonValue start = event.path("content_block");
      b.type = start.path("type").asText(b.type);
      b.id = start.path("id").asNonEmptyText();
      b.name = start.path("name").asNonEmptyText();
      blocks.append(b, start.path("text"));
      blocks.append(b, start.path("thinking"));
      JsonValue input = start.path("input");
      if (input.isObject() && input.retainedSize() > 0) blocks.append(b, input.toString());
    }

    void onDelta(JsonValue event) {
      Block b = blocks.at(event.path("index").asLong(-1));
      if (b == null) return;
      JsonValue delta = event.path("delta");
      String type = delta.path("type").asText("");
      if (type.equals("text_delta")) {
        if (b.type == null) b.type = "text";
        blocks.append(b, delta.path("text"));
      } else if (type.equals("input_json_delta")) {
        if (b.type == null) b.type = "tool_use";
        blocks.append(b, delta.path("partial_json"));
      } else if (type.equals("thinking_delta")) {
        if (b.type == null) b.type = "thinking";
        blocks.append(b, delta.path("thinking"));
      }
    }

    /** A delta too large to read arrived: the block it most likely belongs to, the last one started, is cut. */
    void onLostDelta() {
      blocks.lostDelta();
    }

    void onStopReason(String reason) {
      stopReason = reason;
    }

    /** The assembled message, or null when no content block arrived. */
    String outputMessages() {
      if (blocks.isEmpty()) return null;
      StringBuilder out = new StringBuilder("[{\"role\":\"assistant\",\"parts\":[");
      Parts parts = new Parts(out, maxChars);
      for (Block b : blocks.all()) {
        if (b.type == null) continue;
        String text = b.text();
        if (b.type.equals("text")) {
          parts.open("text").string("content", text, b.cut()).close();
        } else if (b.type.equals("thinking")) {
          parts.open("reasoning").string("content", text, b.cut()).close();
        } else if (b.type.equals("tool_use") || b.type.equals("server_tool_use")) {
          parts.open("tool_call").optional("id", b.id).string("name", b.name == null ? "" : b.name, false);
          parts.arguments(text.isEmpty() ? "{}" : text, b.cut()).close();
        }
      }
      return finish(out, stopReason);
    }
  }

  /** Writes the parts of one message into {@code out}, comma-separated; {@link #count} says how many. */
  private static final class Parts extends MessageParts {
    Parts(StringBuilder out, int maxChars) {
      super(out, maxChars);
    }

    /** One content block as a part; block types without a part in the conventions are left out. */
    void block(JsonValue block) {
      String type = block.path("type").asText("");
      if (type.equals("text")) {
        open("text").string("content", block.path("text")).close();
      } else if (type.equals("thinking")) {
        open("reasoning").string("content", block.path("thinking")).close();
      } else if (type.equals("tool_use") || type.equals("server_tool_use")) {
        open("tool_call").optional("id", block.path("id").asNonEmptyText()).string("name", block.path("name"));
        JsonValue input = block.path("input");
        if (input.isObject()) {
          out.append(",\"arguments\":");
          clip(out, input.toString(), maxChars);
        } else {
          arguments(input.asText("{}"), input.isTruncated());
        }
        close();
      } else if (type.equals("tool_result")) {
        open("tool_call_response").optional("id", block.path("tool_use_id").asNonEmptyText());
        JsonValue content = block.path("content");
        if (content.isString()) {
          string("response", content);
        } else {
          StringBuilder text = new StringBuilder();
          boolean cut = false;
          for (int i = 0; i < content.retainedSize(); i++) {
            JsonValue t = content.get(i).path("text");
            if (t.isString()) text.append(t.asText(""));
            cut |= t.isTruncated();
          }
          string("response", text.toString(), cut);
        }
        close();
      } else if (type.equals("image")) {
        image(block.path("source"));
      }
    }

    private void image(JsonValue source) {
      String kind = source.path("type").asText("");
      if (kind.equals("base64")) {
        open("blob").string("modality", "image", false);
        if (source.path("media_type").isString()) string("mime_type", source.path("media_type"));
        string("content", source.path("data")).close();
      } else if (kind.equals("url")) {
        open("uri").string("modality", "image", false).string("uri", source.path("url")).close();
      } else if (kind.equals("file")) {
        open("file").string("modality", "image", false).string("file_id", source.path("file_id")).close();
      }
    }
  }
}
