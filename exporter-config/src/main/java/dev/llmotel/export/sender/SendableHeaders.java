package dev.llmotel.export.sender;

import dev.llmotel.config.AgentLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The exporter's headers without the values an HTTP client refuses (a line break, another control character, a
 * character past Latin-1: {@code OTEL_EXPORTER_OTLP_HEADERS} values are URL-decoded, so {@code %0A} makes one).
 * Both clients would throw on such a value with a message that quotes it, and a header is often a credential; so the
 * header is left out, with one warning per header name that names it and never its value, and the export goes on
 * (the backend then answers for the missing header, e.g. 401, which gets its own warning).
 */
final class SendableHeaders implements Supplier<Map<String, List<String>>> {
  /** Header names already warned about, shared by every exporter (one line per name in a JVM). */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private final Supplier<Map<String, List<String>>> headers;

  SendableHeaders(Supplier<Map<String, List<String>>> headers) {
    this.headers = headers;
  }

  @Override
  public Map<String, List<String>> get() {
    Map<String, List<String>> all = headers.get();
    if (all == null || allSendable(all)) return all;
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> h : all.entrySet()) {
      List<String> values = new ArrayList<>();
      for (String v : h.getValue()) {
        if (sendable(h.getKey()) && sendable(v)) {
          values.add(v);
        } else if (WARNED.size() < 64 && WARNED.add(h.getKey())) {
          AgentLog.warn("OTLP export header " + h.getKey() + " has a value that an HTTP header cannot carry (a line "
              + "break or another control character; check OTEL_EXPORTER_OTLP_HEADERS or the backend's key): sent "
              + "without that header");
        }
      }
      if (!values.isEmpty()) out.put(h.getKey(), values);
    }
    return out;
  }

  private static boolean allSendable(Map<String, List<String>> all) {
    for (Map.Entry<String, List<String>> h : all.entrySet()) {
      if (!sendable(h.getKey())) return false;
      for (String v : h.getValue()) {
        if (!sendable(v)) return false;
      }
    }
    return true;
  }

  /** No control character but tab, no DEL, nothing past Latin-1 (what both JDK clients accept in a value). */
  static boolean sendable(String s) {
    if (s == null) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) return false;
    }
    return true;
  }
}
