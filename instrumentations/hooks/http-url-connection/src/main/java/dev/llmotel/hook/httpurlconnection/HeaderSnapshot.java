package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.exchange.HeaderLookup;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A copy of a connection's request or response headers, looked up case-insensitively. A copy, because the exchange
 * may read it later on another thread, where calling back into the connection (which takes its lock and, for the
 * response headers, runs {@code getInputStream()} again) would be neither cheap nor safe. Header maps of {@code
 * HttpURLConnection} hold a header's values last-received first, so the first value is the one {@code
 * getHeaderField(name)} returns; the status line (the {@code null} key) is left out.
 */
final class HeaderSnapshot implements HeaderLookup {
  static final HeaderSnapshot EMPTY = new HeaderSnapshot(null);

  private final Map<String, String> values = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);

  private HeaderSnapshot(Map<String, List<String>> headers) {
    if (headers == null) return;
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      List<String> v = e.getValue();
      if (e.getKey() != null && v != null && !v.isEmpty() && !values.containsKey(e.getKey())) {
        values.put(e.getKey(), v.get(0));
      }
    }
  }

  static HeaderSnapshot of(Map<String, List<String>> headers) {
    return headers == null || headers.isEmpty() ? EMPTY : new HeaderSnapshot(headers);
  }

  @Override
  public String get(String name) {
    return name == null ? null : values.get(name);
  }

  /** The Content-Length, or -1 when absent or not a number. */
  long contentLength() {
    String value = values.get("Content-Length");
    if (value == null) return -1;
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
