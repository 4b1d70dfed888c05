package dev.llmotel.dialect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response's side of a call. Status, content type, the error type an error status implies and a proxy's reported
 * cost come from {@link ResponseRules} before the dialect sees the response; the dialect fills the rest from the
 * body (and may refine the error type and message from an error body).
 */
public final class ResponseFacts {
  /** The HTTP status; -1 when no response arrived. */
  public int httpStatus = -1;
  /** The response's Content-Type header, or null. */
  public String contentType;
  /** The body is a stream of events or lines (SSE, NDJSON), as {@link ResponseRules#isEventStream} decides. */
  public boolean eventStream;
  public String id;
  public String model;
  public final List<String> finishReasons = new ArrayList<>(2);
  public long embeddingDimensions = -1;
  /** Provider error code, HTTP status or exception class; null when the call succeeded. */
  public String errorType;
  public String errorMessage;
  /** Cost in USD as a proxy in front of the provider reported it (LiteLLM); null when none did. */
  public Double reportedCostUsd;
  /** {@code gen_ai.output.messages} (content capture only): [{role:"assistant", parts:[...], finish_reason}...] */
  public String outputMessagesJson;

  /** Provider-specific attributes (e.g. {@code openai.response.service_tier}): name to String, Long, Double or Boolean. */
  private Map<String, Object> extra = Collections.emptyMap();

  public void putExtra(String attribute, Object value) {
    if (value == null) return;
    if (extra.isEmpty()) extra = new LinkedHashMap<>();
    extra.put(attribute, value);
  }

  public Map<String, Object> extra() { return extra; }

  public void addFinishReason(String reason) {
    if (reason != null) finishReasons.add(reason);
  }
}
