package dev.llmotel.dialect.support;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import java.nio.charset.StandardCharsets;

/**
 * Writes the JSON of the content attributes ({@code gen_ai.input.messages}, ...) the way every dialect must: each
 * string cut at the content limit and marked {@value #CUT_MARKER} when cut (here, or already by the bounded parser),
 * never inside a surrogate pair; tool-call arguments as the object they hold when they are one whole object; JSON
 * text kept as it is within the limit, else as a cut string (still valid JSON). Escaping is Jackson's.
 */
public final class ContentJson {
  public static final String CUT_MARKER = "...[truncated]";

  private ContentJson() {}

  /** A JSON string of at most {@code maxChars} characters of {@code s}, marked when cut (or already cut). */
  public static void quote(StringBuilder out, String s, boolean alreadyCut, int maxChars) {
    int end = Math.min(s.length(), Math.max(0, maxChars));
    if (end > 0 && end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) end--;
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(end == s.length() ? s : s.substring(0, end), out);
    if (alreadyCut || end < s.length()) out.append(CUT_MARKER);
    out.append('"');
  }

  public static void quote(StringBuilder out, String s, int maxChars) {
    quote(out, s, false, maxChars);
  }

  /** A string node's text, marked when the parser already cut it; {@code ""} for anything else. */
  public static void quote(StringBuilder out, JsonValue string, int maxChars) {
    quote(out, string.asText(""), string.isString() && string.isTruncated(), maxChars);
  }

  /** {@code ,"field":"value"} when the value is not null. */
  public static void optional(StringBuilder out, String field, String value, int maxChars) {
    if (value == null) return;
    out.append(",\"").append(field).append("\":");
    quote(out, value, maxChars);
  }

  /** JSON text: as it is within the limit, else a cut string (still valid JSON). */
  public static void clip(StringBuilder out, String json, int maxChars) {
    if (json.length() <= maxChars) out.append(json);
    else quote(out, json, maxChars);
  }

  /** A JSON value as it was sent: within the limit and not cut by the parser as it is, else a cut string. */
  public static void clip(StringBuilder out, JsonValue value, int maxChars) {
    String json = value.toString();
    if (json.length() <= maxChars && !value.isTruncated()) out.append(json);
    else quote(out, json, true, maxChars);
  }

  /**
   * Tool-call arguments: the JSON object they hold (written compactly) when they are one whole object within the
   * limit, else the string (an argument object whose text merely ends in a brace is not taken on trust).
   */
  public static void arguments(StringBuilder out, String args, boolean alreadyCut, int maxChars) {
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
}
