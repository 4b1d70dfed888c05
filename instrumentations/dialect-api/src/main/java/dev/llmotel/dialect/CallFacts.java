package dev.llmotel.dialect;

/**
 * What is known about one LLM call, in four typed parts, each written by one stage:
 * <ul>
 *   <li>{@link #request}: the dialect, from the request line and body;</li>
 *   <li>{@link #response}: the protocol-neutral rules ({@link ResponseRules}: status, error type from the status,
 *       event-stream detection, a proxy's reported cost), then the dialect, from the response body;</li>
 *   <li>{@link #usage}: the dialect;</li>
 *   <li>{@link #stream}: chunk timing and the outcome by the neutral rules ({@link StreamRules}), the end marker by
 *       the dialect.</li>
 * </ul>
 * Telemetry only reads them. Free of any telemetry API. Not thread-safe: one session writes, telemetry reads after
 * the session has ended.
 */
public final class CallFacts {
  public final RequestFacts request = new RequestFacts();
  public final ResponseFacts response = new ResponseFacts();
  public final UsageFacts usage = new UsageFacts();
  public final StreamFacts stream = new StreamFacts();
  /** Whether this exchange is part of a call that spans several exchanges (written by the dialect). */
  public final ContinuationFacts continuation = new ContinuationFacts();

  /** The model to report: the response's when known, else the request's; null when neither is known. */
  public String model() {
    return response.model != null ? response.model : request.model;
  }

  /** True when the call failed (an error status, an error body, a transport failure or a truncated stream). */
  public boolean failed() {
    return response.errorType != null;
  }
}
