package dev.llmotel.it.otlp;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request a receiver got: method, path, headers (names in lower case) and the status it answered. Kept for
 * every request, whether it was accepted, refused (401, 501) or sent to an unknown path.
 */
public record ReceivedRequest(String method, String path, Map<String, List<String>> headers, int status) {

  /** The first value of a header (any case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public boolean isTraces() { return path.endsWith("/v1/traces"); }

  public boolean isMetrics() { return path.endsWith("/v1/metrics"); }

  @Override
  public String toString() { return method + " " + path + " -> " + status + " " + headers; }
}
