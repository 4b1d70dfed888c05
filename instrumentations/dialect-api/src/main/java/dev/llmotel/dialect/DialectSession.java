package dev.llmotel.dialect;

import dev.llmotel.exchange.HeaderLookup;

/**
 * The dialect's view of one exchange, driven by {@link DialectCall}. Methods are called in order, from one thread at a
 * time; each must be cheap and must tolerate anything (truncated, malformed or huge bodies) without throwing.
 * Everything learned goes into {@link #facts()}: the request, the response body, the usage, what a chunk is and when
 * the protocol's end marker arrives ({@link StreamFacts#markEnd()}). What the status line and headers say (status,
 * error type of an error status, event stream or not) is already in the facts when {@link #onResponse} is called,
 * and the stream's outcome is decided by {@link StreamRules} after {@link #onResponseEnd}.
 */
public interface DialectSession {
  /** The facts known so far; the same object throughout the session. */
  CallFacts facts();

  void onRequestBody(byte[] bytes, int offset, int length);

  /** The request body is complete (called once, at the latest before {@link #onResponse}). */
  void onRequestBodyEnd();

  void onResponse(int statusCode, HeaderLookup headers);

  void onResponseBody(byte[] bytes, int offset, int length);

  /**
   * The response body ended.
   *
   * @param complete true when the application read to the end of the body, false when it closed it early
   */
  void onResponseEnd(boolean complete);
}
