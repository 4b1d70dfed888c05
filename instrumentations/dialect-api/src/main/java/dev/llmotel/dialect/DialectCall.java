package dev.llmotel.dialect;

import dev.llmotel.exchange.HeaderLookup;

/**
 * Drives one {@link DialectSession} through an exchange's events, applying the protocol-neutral rules around it
 * ({@link ResponseRules} before the dialect sees the response, {@link StreamRules} when the body ends or the
 * transport fails). Each event carries the {@link System#nanoTime()} at which it happened, so chunk times are the
 * times the bytes reached the application even when they are parsed later. Never throws: a dialect failure degrades
 * the facts, never the call. Not thread-safe: the caller feeds events one at a time, in order.
 */
public final class DialectCall {
  private final DialectSession session;
  private final CallFacts facts;
  private boolean requestEnded;

  public DialectCall(DialectSession session) {
    this.session = session;
    this.facts = session.facts();
  }

  public CallFacts facts() {
    return facts;
  }

  public void requestBody(long nanos, byte[] bytes, int offset, int length) {
    facts.stream.setBytesArrivedNanos(nanos);
    try {
      session.onRequestBody(bytes, offset, length);
    } catch (Throwable ignored) {
      // see the class comment
    } finally {
      facts.stream.setBytesArrivedNanos(0);
    }
  }

  /** The request body was written (called at most once, also when the response arrives first). */
  public void requestBodyEnd() {
    if (requestEnded) return;
    requestEnded = true;
    try {
      session.onRequestBodyEnd();
    } catch (Throwable ignored) {
      // see the class comment
    }
  }

  public void response(int status, HeaderLookup headers) {
    // the request is over: what it asked for (a stream?) is known before the response is read
    requestBodyEnd();
    try {
      ResponseRules.apply(status, headers, facts);
      session.onResponse(status, headers);
    } catch (Throwable ignored) {
      // see the class comment
    }
  }

  /**
   * @return true when these bytes carried the protocol's end marker: the call is over for the application, whether
   *     or not it ever reads to the end or closes (its outcome is then set)
   */
  public boolean responseBody(long nanos, byte[] bytes, int offset, int length) {
    facts.stream.setBytesArrivedNanos(nanos);
    try {
      session.onResponseBody(bytes, offset, length);
    } catch (Throwable ignored) {
      // see the class comment
    } finally {
      facts.stream.setBytesArrivedNanos(0);
    }
    if (!facts.stream.endMarked()) return false;
    responseEnd(true);
    return true;
  }

  /** @param complete the application read to the end (false: it closed the body early, or left it idle) */
  public void responseEnd(boolean complete) {
    requestBodyEnd();
    try {
      session.onResponseEnd(complete);
    } catch (Throwable ignored) {
      // see the class comment
    }
    StreamRules.bodyEnded(facts, complete);
  }

  /** The transport failed; the application gets this same exception. */
  public void failed(Throwable error) {
    StreamRules.failed(facts, error);
  }
}
