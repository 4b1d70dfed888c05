package dev.llmotel.dialect.bedrock;

import static dev.llmotel.dialect.support.ContentJson.clip;
import static dev.llmotel.dialect.support.ContentJson.quote;

import dev.llmotel.dialect.support.MessageParts;
import dev.llmotel.dialect.support.StreamedBlocks;
import dev.llmotel.dialect.support.StreamedBlocks.Block;

import dev.llmotel.wire.JsonValue;

/**
 * Prompts and completions of the Converse API in the GenAI semantic conventions' JSON shapes, built only when content
 * capture is on. Every text is cut at {@code maxChars} with a marker; the JSON stays valid.
 *
 * <ul>
 *   <li>system instructions: the {@code system} blocks' {@code text} as {@code text} parts
 *   <li>input messages: {@code [{"role","parts":[...]}]}; content blocks become parts: {@code text},
 *       {@code toolUse} as {@code tool_call}, {@code toolResult} as {@code tool_call_response},
 *       {@code reasoningContent} as {@code reasoning}, {@code image} / {@code document} bytes as {@code blob}
 *   <li>output messages: {@code output.message} (or the streamed blocks) with its finish reason
 *   <li>tool definitions: {@code toolConfig.tools[].toolSpec} as {@code {"type":"function","name","description",
 *       "parameters"}}
 * </ul>
 */
final class ConverseContent {
  private ConverseContent() {}

  static String systemInstructions(JsonValue request, int maxChars) {
    JsonValue system = request.path("system");
    Parts parts = new Parts(new StringBuilder("["), maxChars);
    for (int i = 0; i < system.retainedSize(); i++) {
      JsonValue text = system.get(i).path("text");
      if (text.isString()) parts.open("text").string("content", text).close();
    }
    return parts.count() == 0 ? null : parts.out.append(']').toString();
  }

  static String inputMessages(JsonValue request, int maxChars) {
    JsonValue messages = request.path("messages");
    if (!messages.isArray() || messages.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < messages.retainedSize(); i++) {
      if (i > 0) out.append(',');
      message(out, messages.get(i), maxChars);
    }
    return out.append(']').toString();
  }

  private static void message(StringBuilder out, JsonValue m, int maxChars) {
    out.append("{\"role\":");
    quote(out, m.path("role").asText("user"), false, Integer.MAX_VALUE);
    out.append(",\"parts\":[");
    Parts parts = new Parts(out, maxChars);
    JsonValue content = m.path("content");
    for (int b = 0; b < content.retainedSize(); b++) parts.block(content.get(b));
    out.append("]}");
  }

  static String toolDefinitions(JsonValue request, int maxChars) {
    JsonValue tools = request.path("toolConfig").path("tools");
    if (!tools.isArray() || tools.retainedSize() == 0) return null;
    StringBuilder out = new StringBuilder("[");
    int n = 0;
    for (int i = 0; i < tools.retainedSize(); i++) {
      JsonValue spec = tools.get(i).path("toolSpec");
      if (!spec.isObject()) continue;
      if (n++ > 0) out.append(',');
      out.append("{\"type\":\"function\",\"name\":");
      quote(out, spec.path("name").asText(""), spec.path("name").isTruncated(), maxChars);
      JsonValue description = spec.path("description");
      if (description.isString()) {
        out.append(",\"description\":");
        quote(out, description.asText(""), description.isTruncated(), maxChars);
      }
      JsonValue schema = spec.path("inputSchema").path("json");
      if (schema.isObject()) {
        out.append(",\"parameters\":");
        clip(out, schema.toString(), maxChars);
      }
      out.append('}');
    }
    return n == 0 ? null : out.append(']').toString();
  }

  /** {@code output.message} of a Converse response, or null. */
  static String outputMessages(JsonValue response, String finishReason, int maxChars) {
    JsonValue message = response.path("output").path("message");
    if (!message.isObject()) return null;
    StringBuilder out = new StringBuilder("[{\"role\":\"assistant\",\"parts\":[");
    Parts parts = new Parts(out, maxChars);
    JsonValue content = message.path("content");
    for (int b = 0; b < content.retainedSize(); b++) parts.block(content.get(b));
    return finish(out, finishReason);
  }

  private static String finish(StringBuilder out, String finishReason) {
    out.append("],\"finish_reason\":");
    quote(out, finishReason == null ? "error" : finishReason, false, Integer.MAX_VALUE);
    return out.append("}]").toString();
  }

  /**
   * The output message of a ConverseStream: {@code contentBlockStart} opens a tool use at its index,
   * {@code contentBlockDelta}s append text, tool input or reasoning text to the block at theirs.
   */
  static final class StreamAssembler {
    private final int maxChars;
    private final StreamedBlocks blocks;
    private String finishReason;

    StreamAssembler(int maxChars) {
      this.maxChars = maxChars;
      this.blocks = new StreamedBlocks(maxChars);
    }

    void onBlockStart(JsonValue event) {
      Block b = blocks.at(event.path("contentBlockIndex").asLong(-1));
      if (b == null) return;
      JsonValue toolUse = event.path("start").path("toolUse");
      if (toolUse.isObject()) {
        b.type = "tool_call";
        b.id = toolUse.path("toolUseId").asNonEmptyText();
        b.name = toolUse.path("name").asNonEmptyText();
      }
    }

    void onDelta(JsonValue event) {
      Block b = blocks.at(event.path("contentBlockIndex").asLong(-1));
      if (b == null) return;
      JsonValue delta = event.path("delta");
      if (delta.path("text").isString()) {
        if (b.type == null) b.type = "text";
        blocks.append(b, delta.path("text"));
      } else if (delta.path("toolUse").isObject()) {
        if (b.type == null) b.type = "tool_call";
        blocks.append(b, delta.path("toolUse").path("input"));
      } else if (delta.path("reasoningContent").isObject()) {
        if (b.type == null) b.type = "reasoning";
        blocks.append(b, delta.path("reasoningContent").path("text"));
      }
    }

    void onLostDelta() {
      blocks.lostDelta();
    }

    void onFinishReason(String reason) {
      finishReason = reason;
    }

    String outputMessages() {
      if (blocks.isEmpty()) return null;
      StringBuilder out = new StringBuilder("[{\"role\":\"assistant\",\"parts\":[");
      Parts parts = new Parts(out, maxChars);
      for (Block b : blocks.all()) {
        if (b.type == null) continue;
        String text = b.text();
        if (b.type.equals("tool_call")) {
          parts.open("tool_call").optional("id", b.id).string("name", b.name == null ? "" : b.name, false);
          parts.arguments(text.isEmpty() ? "{}" : text, b.cut()).close();
        } else {
          parts.open(b.type).string("content", text, b.cut()).close();
        }
      }
      return finish(out, finishReason);
    }
  }

  /** Writes the parts of one message, comma-separated. */
  private static final class Parts extends MessageParts {
    Parts(StringBuilder out, int maxChars) {
      super(out, maxChars);
    }

    /** One Converse content block as a part; blocks without a part in the conventions are left out. */
    void block(JsonValue block) {
      if (block.path("text").isString()) {
        open("text").string("content", block.path("text")).close();
      } else if (block.path("toolUse").isObject()) {
        JsonValue use = block.path("toolUse");
        open("tool_call").optional("id", use.path("toolUseId").asNonEmptyText()).string("name", use.path("name"));
        JsonValue input = use.path("input");
        out.append(",\"arguments\":");
        if (input.isObject() || input.isArray()) clip(out, input.toString(), maxChars);
        else quote(out, input.asText("{}"), input.isTruncated(), maxChars);
        close();
      } else if (block.path("toolResult").isObject()) {
        JsonValue result = block.path("toolResult");
        open("tool_call_response").optional("id", result.path("toolUseId").asNonEmptyText());
        JsonValue content = result.path("content");
        StringBuilder text = new StringBuilder();
        boolean cut = false;
        JsonValue onlyJson = null;
        for (int i = 0; i < content.retainedSize(); i++) {
          JsonValue c = content.get(i);
          if (c.path("text").isString()) {
            text.append(c.path("text").asText(""));
            cut |= c.path("text").isTruncated();
          } else if (c.path("json").isPresent()) {
            if (content.retainedSize() == 1) onlyJson = c.path("json");
            else text.append(c.path("json").toString());
          }
        }
        out.append(",\"response\":");
        if (onlyJson != null) clip(out, onlyJson.toString(), maxChars);
        else quote(out, text.toString(), cut, maxChars);
        close();
      } else if (block.path("reasoningContent").isObject()) {
        open("reasoning").string("content", block.path("reasoningContent").path("reasoningText").path("text"))
            .close();
      } else if (block.path("image").isObject()) {
        media(block.path("image"), "image", "image/");
      } else if (block.path("document").isObject()) {
        media(block.path("document"), "document", "application/");
      }
    }

    private void media(JsonValue media, String modality, String mimePrefix) {
      JsonValue bytes = media.path("source").path("bytes");
      if (!bytes.isString()) return;
      open("blob").string("modality", modality, false);
      String format = media.path("format").asNonEmptyText();
      if (format != null) string("mime_type", mimePrefix + format, false);
      string("content", bytes).close();
    }
  }
}
