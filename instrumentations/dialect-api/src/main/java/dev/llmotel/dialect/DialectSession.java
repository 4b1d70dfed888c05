package dev.llmotel.dialect;

import dev.llmotel.exchange.HeaderLookup;

/**
 * The dialect's view of one exchange. Methods are called in order, from whichever thread moves the bytes (never
 * concurrently); each must be cheap and must tolerate anything (truncated, malformed or huge bodies) without throwing.
 * Everything learned goes into {@link #facts()}.
 */
public interface DialectSession {
  /** The facts known so far; the same object throughout the session. */
  GenAiFacts facts();

  void onRequestBody(byte[] bytes, int offset, int length);

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
