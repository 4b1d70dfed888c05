package dev.llmotel.export.destination;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One place spans (and maybe metrics) go, with its own endpoint, headers and view of the spans. */
public final class Destination {
  private final String name;
  private final String tracesEndpoint;
  private final String metricsEndpoint;
  private final Map<String, String> headers;
  private final SpanView view;

  /**
   * @param metricsEndpoint null when the backend does not accept metrics (Langfuse discards them, Opik answers 501)
   */
  public Destination(String name, String tracesEndpoint, String metricsEndpoint, Map<String, String> headers,
      SpanView view) {
    this.name = name;
    this.tracesEndpoint = tracesEndpoint;
    this.metricsEndpoint = metricsEndpoint;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.view = view;
  }

  public String name() { return name; }
  public String tracesEndpoint() { return tracesEndpoint; }
  public String metricsEndpoint() { return metricsEndpoint; }
  public Map<String, String> headers() { return headers; }
  public SpanView view() { return view; }

  @Override
  public String toString() {
    return name + " (" + tracesEndpoint + ")";
  }
}
