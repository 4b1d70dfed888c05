package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.support.ContentJson;

import static dev.llmotel.dialect.support.ContentJson.optional;
import static dev.llmotel.dialect.support.ContentJson.quote;

import dev.llmotel.wire.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A response's output items as the conventions' output messages, built only when content capture is on: one
 * assistant message whose parts follow the output items in order ({@code message} text and refusals as {@code text},
 * {@code function_call} / {@code custom_tool_call} as {@code tool_call}, {@code reasoning} summaries and reasoning
 * text as {@code reasoning}; built-in tool calls the server ran itself are left out). Filled either from a whole
 * response's {@code output} or, in a stream, item by item from {@code response.output_item.added}, the deltas and
 * {@code response.output_item.done}; text is kept up to the limit.
 */
final class ResponsesOutput {
  private static final int MAX_INDEX = 127;

  private final int maxChars;
  private final List<Item> items = new ArrayList<>(2);

  ResponsesOutput(int maxChars) {
    this.maxChars = maxChars;
  }

  /** Replaces what is known with a whole response's {@code output} array. */
  void setAll(JsonValue output) {
    items.clear();
    for (int i = 0; i < output.retainedSize() && i <= MAX_INDEX; i++) items.add(Item.of(output.get(i), maxChars));
  }

  /** {@code response.output_item.added} or {@code .done}: the item at its {@code output_index}, as far as it is known. */
  void onItem(JsonValue event) {
    int index = index(event.path("output_index"));
    if (index < 0) return;
    slot(index);
    items.set(index, Item.of(event.path("item"), maxChars));
  }

  /** A {@code *.delta} event of the given type. */
  void onDelta(String type, JsonValue event) {
    int index = index(event.path("output_index"));
    if (index < 0) return;
    JsonValue delta = event.path("delta");
    if (!delta.isString()) return;
    switch (type) {
      case "response.output_text.delta":
      case "response.refusal.delta":
        item(index, "message").part(index(event.path("content_index")), Part.TEXT).append(delta, maxChars);
        break;
      case "response.function_call_arguments.delta":
        item(index, "function_call").arguments.append(delta, maxChars);
        break;
      case "response.custom_tool_call_input.delta":
        item(index, "custom_tool_call").arguments.append(delta, maxChars);
        break;
      case "response.reasoning_summary_text.delta":
        item(index, "reasoning").part(index(event.path("summary_index")), Part.REASONING).append(delta, maxChars);
        break;
      default:
        // other deltas (reasoning text, audio, code) carry nothing the messages show or arrive whole at .done
    }
  }

  boolean isEmpty() {
    for (Item item : items) if (item != null && item.renders()) return false;
    return true;
  }

  /**
   * {@code [{"role":"assistant","parts":[...],"finish_reason"}]}, or null when no output item has a message form.
   *
   * @param finishReason the call's finish reason as the facts hold it (null: it never finished)
   */
  String render(String finishReason) {
    if (isEmpty()) return null;
    StringBuilder out = new StringBuilder("[{\"role\":\"assistant\",\"parts\":[");
    int parts = 0;
    for (Item item : items) {
      if (item != null) parts = item.render(out, parts, maxChars);
    }
    out.append("],\"finish_reason\":");
    quote(out, conventionFinishReason(finishReason), Integer.MAX_VALUE);
    return out.append("}]").toString();
  }

  /**
   * The conventions' finish reason (stop, length, content_filter, tool_call, error) for the facts' one:
   * {@code max_output_tokens} is {@code length}; a call that never finished is {@code error}.
   */
  static String conventionFinishReason(String reason) {
    if (reason == null) return ResponseObject.ERROR;
    return reason.equals("max_output_tokens") ? "length" : reason;
  }

  private Item item(int index, String kind) {
    slot(index);
    Item item = items.get(index);
    if (item == null) {
      item = new Item(kind);
      items.set(index, item);
    }
    return item;
  }

  private void slot(int index) {
    while (items.size() <= index) items.add(null);
  }

  private static int index(JsonValue v) {
    long i = v.asLong(-1);
    return i >= 0 && i <= MAX_INDEX ? (int) i : -1;
  }

  /** One output item: its kind, its text or reasoning parts (by index), or its call. */
  private static final class Item {
    final String kind;
    final List<Part> parts = new ArrayList<>(1);
    String callId;
    String name = "";
    final Part arguments = new Part(Part.TEXT);

    Item(String kind) {
      this.kind = kind;
    }

    static Item of(JsonValue json, int maxChars) {
      String kind = json.path("type").asText("");
      Item item = new Item(kind);
      switch (kind) {
        case "message": {
          JsonValue content = json.path("content");
          for (int i = 0; i < content.retainedSize() && i <= MAX_INDEX; i++) {
            JsonValue c = content.get(i);
            String type = c.path("type").asText("");
            if (type.equals("output_text")) item.part(i, Part.TEXT).append(c.path("text"), maxChars);
            else if (type.equals("refusal")) item.part(i, Part.TEXT).append(c.path("refusal"), maxChars);
          }
          break;
        }
        case "function_call":
        case "custom_tool_call":
          item.callId = json.path("call_id").asNonEmptyText();
          item.name = json.path("name").asText("");
          item.arguments.append(json.path(kind.equals("function_call") ? "arguments" : "input"), maxChars);
          break;
        case "reasoning": {
          JsonValue summary = json.path("summary");
          int n = 0;
          for (int i = 0; i < summary.retainedSize() && n <= MAX_INDEX; i++) {
            item.part(n++, Part.REASONING).append(summary.get(i).path("text"), maxChars);
          }
          JsonValue content = json.path("content");
          for (int i = 0; i < content.retainedSize() && n <= MAX_INDEX; i++) {
            item.part(n++, Part.REASONING).append(content.get(i).path("text"), maxChars);
          }
          break;
        }
        default:
          // built-in tool calls and other items: no message form
      }
      return item;
    }

    Part part(int index, String type) {
      if (index < 0) index = 0;
      while (parts.size() <= index) parts.add(null);
      Part p = parts.get(index);
      if (p == null) {
        p = new Part(type);
        parts.set(index, p);
      }
      return p;
    }

    boolean isCall() {
      return kind.equals("function_call") || kind.equals("custom_tool_call");
    }

    boolean renders() {
      if (isCall()) return true;
      for (Part p : parts) if (p != null && p.text.length() > 0) return true;
      return false;
    }

    int render(StringBuilder out, int count, int maxChars) {
      if (isCall()) {
        if (count > 0) out.append(',');
        out.append("{\"type\":\"tool_call\"");
        optional(out, "id", callId, Integer.MAX_VALUE);
        out.append(",\"name\":");
        quote(out, name, Integer.MAX_VALUE);
        out.append(",\"arguments\":");
        ContentJson.arguments(out, arguments.text.toString(), arguments.cut, maxChars);
        out.append('}');
        return count + 1;
      }
      for (Part p : parts) {
        if (p == null || p.text.length() == 0) continue;
        if (count++ > 0) out.append(',');
        out.append("{\"type\":\"").append(p.type).append("\",\"content\":");
        quote(out, p.text.toString(), p.cut, maxChars);
        out.append('}');
      }
      return count;
    }
  }

  /** Text kept up to the limit; {@link #cut} once anything was left out. */
  private static final class Part {
    static final String TEXT = "text";
    static final String REASONING = "reasoning";

    final String type;
    final StringBuilder text = new StringBuilder();
    boolean cut;

    Part(String type) {
      this.type = type;
    }

    void append(JsonValue string, int maxChars) {
      if (!string.isString()) return;
      if (string.isTruncated()) cut = true;
      String s = string.asText("");
      int room = maxChars - text.length();
      if (s.length() > room) {
        cut = true;
        if (room > 0) text.append(s, 0, room);
      } else {
        text.append(s);
      }
    }
  }
}
