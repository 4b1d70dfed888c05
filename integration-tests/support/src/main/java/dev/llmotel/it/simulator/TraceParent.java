package dev.llmotel.it.simulator;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed W3C {@code traceparent} header: {@code 00-<trace id>-<parent span id>-<flags>}. */
public record TraceParent(String version, String traceId, String parentId, String flags) {
  private static final Pattern FORMAT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

  /** The header parsed, or empty when it is not a well-formed, non-zero W3C traceparent. */
  public static Optional<TraceParent> parse(String header) {
    if (header == null) return Optional.empty();
    Matcher m = FORMAT.matcher(header.trim());
    if (!m.matches()) return Optional.empty();
    TraceParent tp = new TraceParent(m.group(1), m.group(2), m.group(3), m.group(4));
    if (tp.traceId.chars().allMatch(c -> c == '0') || tp.parentId.chars().allMatch(c -> c == '0')) {
      return Optional.empty();
    }
    return Optional.of(tp);
  }
}
