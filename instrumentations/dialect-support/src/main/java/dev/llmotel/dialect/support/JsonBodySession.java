package dev.llmotel.dialect.support;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;

/**
 * The skeleton of a session whose request is one JSON document and whose response is either one JSON document or a
 * stream (SSE events, NDJSON lines), as {@link dev.llmotel.dialect.ResponseRules} told from the headers. The request
 * body is read into a bounded tree and handed over once, before the response is read; the response goes to the
 * dialect's {@link StreamParser} or, whole, to {@link #onResponseDocument}. Every step is guarded: a parse failure
 * leaves the facts partly filled and never reaches the caller. A dialect implements the four protocol steps only.
 */
public abstract class JsonBodySession implements DialectSession {
  /** Reads a streamed response body: events or lines, as the protocol frames them. */
  public interface StreamParser {
    void feed(byte[] bytes, int offset, int length);

    /**
     * The body ended.
     *
     * @param complete the application read to its end (false: it closed the body early)
     */
    void end(boolean complete);
  }

  /** What a dialect does when its event stream's body ended (after the last event of a body read to its end). */
  public interface StreamEnd {
    void ended(boolean complete);
  }

  protected final CallFacts facts = new CallFacts();
  protected final DialectContext context;
  private final JsonLimits requestLimits;

  private JsonTreeReader request;
  private boolean requestRead;
  private boolean responseStarted;
  private JsonTreeReader response;
  private StreamParser stream;
  private boolean responseRead;

  /** @param requestLimits the bounds of the request's tree (what is kept, skipped or summarised) */
  protected JsonBodySession(DialectContext context, JsonLimits requestLimits) {
    this.context = context;
    this.requestLimits = requestLimits;
  }

  /** The request body as a bounded tree (null when there was none); called once, before the response is read. */
  protected abstract void onRequest(JsonValue body);

  /** The parser of a streamed response, or null to leave the stream unread. */
  protected abstract StreamParser openStream();

  /** The bounds of a whole response document, or null to leave it unread. */
  protected abstract JsonLimits responseLimits();

  /** The whole response document (null when it was empty or unreadable), at the body's end. */
  protected abstract void onResponseDocument(JsonValue body);

  /**
   * The status line and headers arrived (already applied by the neutral rules); for what only a protocol's own headers
   * tell. By default nothing happens.
   */
  protected void onResponseHeaders(int statusCode, HeaderLookup headers) {}

  /** A parser of an SSE body whose events go to {@code listener}, within the context's event size limit. */
  protected final StreamParser sseStream(SseDecoder.Listener listener, StreamEnd atEnd) {
    SseDecoder sse = new SseDecoder(context.maxEventBytes(), listener);
    return new StreamParser() {
      @Override
      public void feed(byte[] bytes, int offset, int length) {
        sse.feed(bytes, offset, length);
      }

      @Override
      public void end(boolean complete) {
        if (complete) sse.end();
        atEnd.ended(complete);
      }
    };
  }

  /** The body of a response this session chose not to read ended; by default nothing happens. */
  protected void onUnreadResponseEnd(boolean complete) {}

  @Override
  public final CallFacts facts() {
    return facts;
  }

  @Override
  public final void onRequestBody(byte[] bytes, int offset, int length) {
    try {
      if (requestRead) return;
      if (request == null) request = new JsonTreeReader(requestLimits);
      request.feed(bytes, offset, length);
    } catch (Throwable ignored) {
      // the facts stay as they are
    }
  }

  @Override
  public final void onRequestBodyEnd() {
    try {
      readRequest();
    } catch (Throwable ignored) {
      // see onRequestBody
    }
  }

  @Override
  public final void onResponse(int statusCode, HeaderLookup headers) {
    try {
      readRequest();
      if (headers != null) onResponseHeaders(statusCode, headers);
      startResponse(facts.response.eventStream);
    } catch (Throwable ignored) {
      // see onRequestBody
    }
  }

  @Override
  public final void onResponseBody(byte[] bytes, int offset, int length) {
    try {
      if (responseRead) return;
      if (!responseStarted) startResponse(facts.response.eventStream);
      if (stream != null) stream.feed(bytes, offset, length);
      else if (response != null) response.feed(bytes, offset, length);
    } catch (Throwable ignored) {
      // see onRequestBody
    }
  }

  @Override
  public final void onResponseEnd(boolean complete) {
    try {
      readRequest();
      if (responseRead) return;
      responseRead = true;
      if (stream != null) stream.end(complete);
      else if (response != null) onResponseDocument(response.end());
      else onUnreadResponseEnd(complete);
    } catch (Throwable ignored) {
      // see onRequestBody
    }
  }

  private void readRequest() {
    if (requestRead) return;
    requestRead = true;
    JsonValue body = request == null ? null : request.end();
    request = null;
    onRequest(body);
  }

  private void startResponse(boolean streamed) {
    if (responseStarted) return;
    responseStarted = true;
    if (streamed) {
      facts.stream.streamed = true;
      stream = openStream();
    } else {
      JsonLimits limits = responseLimits();
      if (limits != null) response = new JsonTreeReader(limits);
    }
  }
}
