package dev.llmotel.dialect;

import dev.llmotel.exchange.HeaderLookup;
import java.util.Locale;

/**
 * What a response's status line and headers say whatever the protocol; applied before the dialect sees the response.
 */
public final class ResponseRules {
  private ResponseRules() {}

  /**
   * Records the status and content type, the error type an error status implies ({@code "429"}; a dialect may refine
   * it from the error body), whether the body is an event stream, and a proxy's reported cost.
   */
  public static void apply(int status, HeaderLookup headers, CallFacts facts) {
    ResponseFacts response = facts.response;
    response.httpStatus = status;
    if (status >= 400 && response.errorType == null) response.errorType = Integer.toString(status);
    String contentType = headers == null ? null : headers.get("Content-Type");
    response.contentType = contentType;
    response.eventStream = isEventStream(contentType, status, facts.stream.streamed);
    if (response.eventStream) facts.stream.streamed = true;
    if (headers != null) response.reportedCostUsd = reportedCost(headers);
  }

  /**
   * A body of events or lines: {@code text/event-stream}, NDJSON ({@code application/x-ndjson},
   * {@code application/jsonl}), AWS event streams ({@code application/vnd.amazon.eventstream}); without a Content-Type, what the request asked for when the call succeeded.
   */
  public static boolean isEventStream(String contentType, int status, boolean requestedStream) {
    if (contentType == null) return requestedStream && status < 400;
    String ct = contentType.toLowerCase(Locale.ROOT);
    return ct.contains("event-stream") || ct.contains("ndjson") || ct.contains("jsonl") || ct.contains("eventstream");
  }

  /** LiteLLM's {@code x-litellm-response-cost} (USD), or null. */
  static Double reportedCost(HeaderLookup headers) {
    String v = headers.get("x-litellm-response-cost");
    if (v == null) return null;
    try {
      double cost = Double.parseDouble(v.trim());
      return cost >= 0 && !Double.isInfinite(cost) ? cost : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
