package dev.llmotel.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What may leave the process of prompts and completions. Off by default: with capture off, no message text is kept
 * or exported. When on, each JSON attribute is redacted (patterns below) and cut at a size limit with a visible
 * marker.
 *
 * <p>Default redaction (a production choice: secrets must never leave, even when content capture is on): API keys
 * and tokens ({@code sk-...}, {@code sk-ant-...}, {@code AKIA...}, {@code ghp_...}, {@code Bearer ...}, JWTs) and payment
 * card numbers. E-mail addresses are kept by default (they are often the point of a support conversation); add
 * {@code emails} to the redaction list to remove them.
 */
public final class ContentPolicy {
  public static final String MARKER = "[REDACTED]";
  /**
   * The built-in redactions, compiled when first named ({@link #redactions}), not when this class loads: the agent's
   * premain builds a policy (usually off) on the application's main thread, where compiling them costs a few ms.
   */
  private static final class Builtin {
    static final Pattern API_KEYS = Pattern.compile(
        "\\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_\\-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}"
            + "|xox[abpr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_\\-]{35})\\b"
            + "|\\bBearer\\s+[A-Za-z0-9._~+/=\\-]{16,}"
            + "|\\beyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}");
    static final Pattern CARDS = Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b");
    static final Pattern EMAILS = Pattern.compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9.\\-]+\\.[A-Za-z]{2,}");
  }

  private final boolean capture;
  private final int maxChars;
  private final List<Pattern> redactions;

  public ContentPolicy(boolean capture, int maxChars, List<Pattern> redactions) {
    this.capture = capture;
    this.maxChars = maxChars;
    this.redactions = redactions;
  }

  public static ContentPolicy off() {
    return new ContentPolicy(false, 0, new ArrayList<>());
  }

  /**
   * @param names comma-separated built-in redactions: {@code api-keys}, {@code cards}, {@code emails}, or
   *     {@code none}
   * @param customPatterns further regular expressions, or null
   */
  public static List<Pattern> redactions(String names, List<String> customPatterns) {
    List<Pattern> out = new ArrayList<>();
    for (String n : names.split(",")) {
      String name = n.trim();
      if (name.equals("api-keys")) out.add(Builtin.API_KEYS);
      else if (name.equals("cards")) out.add(Builtin.CARDS);
      else if (name.equals("emails")) out.add(Builtin.EMAILS);
      else if (!name.isEmpty() && !name.equals("none")) throw new IllegalArgumentException("unknown redaction " + name);
    }
    if (customPatterns != null) for (String p : customPatterns) out.add(Pattern.compile(p));
    return out;
  }

  public boolean capture() {
    return capture;
  }

  public int maxChars() {
    return maxChars;
  }

  /**
   * The text as it may be exported: redacted, then kept within {@link #maxAttributeChars()}. A JSON array (the
   * content attributes) keeps its leading elements that fit, whole, so it stays valid JSON (the dialects have already
   * cut each message part at {@link #maxChars()} with a visible marker); other text is cut with a marker saying how
   * much was cut.
   */
  public String apply(String text) {
    if (text == null) return null;
    String out = text;
    for (Pattern p : redactions) {
      Matcher m = p.matcher(out);
      if (m.find()) out = m.replaceAll(MARKER);
    }
    int limit = maxAttributeChars();
    if (maxChars > 0 && out.length() > limit) {
      String json = leadingElements(out, limit);
      if (json != null) return json;
      int cut = out.length() - limit;
      out = out.substring(0, limit) + "...[truncated " + cut + " chars]";
    }
    return out;
  }

  /** The whole attribute's limit: room for a few parts of {@link #maxChars()} each. */
  public int maxAttributeChars() {
    return maxChars > Integer.MAX_VALUE / 4 ? Integer.MAX_VALUE : maxChars * 4;
  }

  /** {@code [e1,e2,...]} cut after the last whole top-level element within the limit; null if not such an array. */
  static String leadingElements(String json, int limit) {
    if (json.isEmpty() || json.charAt(0) != '[') return null;
    int depth = 0;
    int lastEnd = -1;
    boolean inString = false;
    for (int i = 0; i < json.length() && i < limit; i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 1) lastEnd = i;
      }
    }
    return lastEnd < 0 ? "[]" : json.substring(0, lastEnd + 1) + "]";
  }
}
