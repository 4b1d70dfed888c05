package dev.llmotel.dialect.openairesponses;

import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import java.nio.charset.StandardCharsets;

/** Writes the JSON of the content attributes: strings cut at a limit and marked, tool-call arguments as objects. */
final class JsonText {
  static final String CUT_MARKER = "...[truncated]";

  private JsonText() {}

  /** A JSON string of at most {@code maxChars} characters of {@code s}, marked when cut (or already cut). */
  static void quote(StringBuilder out, String s, boolean alreadyCut, int maxChars) {
    boolean cut = alreadyCut || s.length() > maxChars;
    String kept = s.length() > maxChars ? s.substring(0, maxChars) : s;
    out.append('"');
    for (int i = 0; i < kept.length(); i++) {
      char c = kept.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c == '\n') out.append("\\n");
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    if (cut) out.append(CUT_MARKER);
    out.append('"');
  }

  static void quote(StringBuilder out, String s, int maxChars) {
    quote(out, s, false, maxChars);
  }

  /** A string node's text, marked when the parser already cut it; {@code ""} for anything else. */
  static void quote(StringBuilder out, JsonValue string, int maxChars) {
    quote(out, string.asText(""), string.isString() && string.isTruncated(), maxChars);
  }

  /** {@code ,"field":"value"} when the value is not null. */
  static void optional(StringBuilder out, String field, String value, int maxChars) {
    if (value == null) return;
    out.append(",\"").append(field).append("\":");
    quote(out, value, maxChars);
  }

  /**
   * Tool-call arguments: the JSON object they hold (written compactly) when they are one whole object within the
   * limit, else the string.
   */
  static void arguments(StringBuilder out, String args, boolean alreadyCut, int maxChars) {
    String trimmed = args.trim();
    if (!alreadyCut && trimmed.length() <= maxChars && trimmed.startsWith("{") && trimmed.endsWith("}")) {
      byte[] bytes = trimmed.getBytes(StandardCharsets.UTF_8);
      JsonValue parsed = JsonTreeReader.parse(bytes, 0, bytes.length, wholeDocument(trimmed.length()));
      if (parsed != null && parsed.isObject() && !parsed.isTruncated()) {
        out.append(parsed);
        return;
      }
    }
    quote(out, args, alreadyCut, maxChars);
  }

  /** Limits nothing in a document of {@code chars} characters can reach. */
  private static JsonLimits wholeDocument(int chars) {
    int n = chars + 1;
    return JsonLimits.defaults().withMaxStringChars(n).withMaxArrayElements(n).withMaxObjectFields(n)
        .withMaxNodes(n).withMaxDepth(n).withMaxRetainedChars(2 * n + 16);
  }

  /** JSON text: as it is within the limit, else a cut string (still valid JSON). */
  static void clip(StringBuilder out, String json, int maxChars) {
    if (json.length() <= maxChars) out.append(json);
    else quote(out, json, maxChars);
  }
}
