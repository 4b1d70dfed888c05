package dev.llmotel.dialect.support;

import dev.llmotel.wire.JsonValue;

/**
 * Writes the {@code parts} of one message in the semantic conventions' shape, comma-separated: {@code {"type":...,
 * field: value, ...}} per part, every string cut and marked through {@link ContentJson}. A dialect extends it with
 * the mapping of its own content blocks to parts.
 */
public class MessageParts {
  public final StringBuilder out;
  public final int maxChars;
  private int count;

  public MessageParts(StringBuilder out, int maxChars) {
    this.out = out;
    this.maxChars = maxChars;
  }

  /** Parts written so far. */
  public int count() {
    return count;
  }

  /** Opens a part of this type; the fields follow, then {@link #close()}. */
  public MessageParts open(String type) {
    if (count++ > 0) out.append(',');
    out.append("{\"type\":\"").append(type).append('"');
    return this;
  }

  public void close() {
    out.append('}');
  }

  /** A string field from a string node, marked when the parser already cut it. */
  public MessageParts string(String field, JsonValue value) {
    return string(field, value.asText(""), value.isTruncated());
  }

  public MessageParts string(String field, String value, boolean alreadyCut) {
    out.append(",\"").append(field).append("\":");
    ContentJson.quote(out, value, alreadyCut, maxChars);
    return this;
  }

  /** A string field when the value is not null. */
  public MessageParts optional(String field, String value) {
    return value == null ? this : string(field, value, false);
  }

  /** Tool-call arguments: the JSON object itself when the text is one whole object within the limit, else text. */
  public MessageParts arguments(String text, boolean cut) {
    out.append(",\"arguments\":");
    ContentJson.arguments(out, text, cut, maxChars);
    return this;
  }
}
