package dev.llmotel.testkit.dialect;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectCall;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.HeaderLookup;
import java.util.Arrays;

/**
 * Feeds one recording through a dialect the way the agent does: the request body, its end, the response's status and
 * headers, the response body in pieces (no more once {@link DialectCall#responseBody} says the end marker came), and
 * the body's end. Every piece is copied into a buffer of its own at an offset, between guard bytes, and overwritten
 * after it was fed: a session that reads outside its piece or keeps the caller's buffer shows up as wrong facts.
 */
final class Replay {
  /** Cut positions: none, the body is fed in one piece. */
  static final int[] WHOLE = {};
  /** Cut positions: after every byte. */
  static final int[] EVERY_BYTE = null;

  private static final int GUARD = 7;
  private static final byte GUARD_BYTE = '#';

  private Replay() {}

  /** The session threw through {@link DialectCall} (which hides it from the application, but not from this kit). */
  static final class SessionThrew extends AssertionError {
    SessionThrew(String where, Throwable cause) {
      super("the session threw in " + where + " (DialectCall hides this from the application; a session must not"
          + " throw)", cause);
    }
  }

  /**
   * @param requestCuts sorted positions at which the request body is cut into pieces; {@link #WHOLE} or
   *     {@link #EVERY_BYTE}
   * @param responseBody the response body to feed (the recorded one, or a cut or corrupted copy)
   * @param complete what the end of the body tells the session: read to the end (true) or closed early
   * @throws AssertionError when the dialect does not claim the request, or {@code open} or the session throws
   */
  static CallFacts run(Dialect dialect, Recording recording, int[] requestCuts, byte[] responseBody,
      int[] responseCuts, boolean complete) {
    DialectSession session;
    try {
      session = dialect.open(recording.exchangeRequest(), recording.context());
    } catch (Throwable t) {
      throw new AssertionError("Dialect.open threw (it must not)", t);
    }
    if (session == null) {
      throw new AssertionError("the dialect '" + dialect.name() + "' does not claim this request: "
          + recording.exchangeRequest());
    }
    return drive(session, recording.requestBodyShared(), requestCuts, recording.status(),
        recording.responseHeaders(), responseBody, responseCuts, complete);
  }

  /** Drives an open session through one exchange; see {@link #run}. */
  static CallFacts drive(DialectSession session, byte[] requestBody, int[] requestCuts, int status,
      HeaderLookup responseHeaders, byte[] responseBody, int[] responseCuts, boolean complete) {
    Checked checked = new Checked(session);
    DialectCall call = new DialectCall(checked);
    long nanos = 1_000;
    Pieces request = new Pieces(requestBody, requestCuts);
    while (request.next()) call.requestBody(nanos++, request.buffer, GUARD, request.length);
    checked.rethrow();
    call.requestBodyEnd();
    checked.rethrow();
    call.response(status, responseHeaders);
    checked.rethrow();
    boolean ended = false;
    Pieces response = new Pieces(responseBody, responseCuts);
    while (!ended && response.next()) {
      ended = call.responseBody(nanos++, response.buffer, GUARD, response.length);
      response.scribble();
      checked.rethrow();
    }
    if (!ended) call.responseEnd(complete);
    checked.rethrow();
    return call.facts();
  }

  /** Cut positions every {@code pieceSize} bytes of a body of {@code length} bytes. */
  static int[] every(int pieceSize, int length) {
    if (pieceSize <= 0) throw new IllegalArgumentException("pieceSize " + pieceSize);
    int[] cuts = new int[Math.max(0, (length - 1) / pieceSize)];
    for (int i = 0; i < cuts.length; i++) cuts[i] = (i + 1) * pieceSize;
    return cuts;
  }

  /** A body cut into pieces, each handed out in a fresh buffer at offset {@link #GUARD} between guard bytes. */
  private static final class Pieces {
    private final byte[] body;
    private final int[] cuts;
    private int start;
    private int cut;
    byte[] buffer;
    int length;

    Pieces(byte[] body, int[] cuts) {
      this.body = body;
      this.cuts = cuts;
    }

    boolean next() {
      if (buffer != null) scribble();
      if (start >= body.length) return false;
      int end;
      if (cuts == EVERY_BYTE) {
        end = start + 1;
      } else {
        while (cut < cuts.length && (cuts[cut] <= start || cuts[cut] > body.length)) cut++;
        end = cut < cuts.length ? cuts[cut++] : body.length;
      }
      length = end - start;
      buffer = new byte[GUARD + length + GUARD];
      Arrays.fill(buffer, GUARD_BYTE);
      System.arraycopy(body, start, buffer, GUARD, length);
      start = end;
      return true;
    }

    /** What the application does with its buffer once the bytes were handed on: reuses it. */
    void scribble() {
      Arrays.fill(buffer, GUARD_BYTE);
    }
  }

  /** Passes every call on, remembering what the session threw (and throwing it on, for {@link DialectCall}). */
  private static final class Checked implements DialectSession {
    private final DialectSession session;
    private Throwable thrown;
    private String where;

    Checked(DialectSession session) {
      this.session = session;
    }

    void rethrow() {
      if (thrown != null) throw new SessionThrew(where, thrown);
    }

    private RuntimeException caught(String method, Throwable t) {
      if (thrown == null) {
        thrown = t;
        where = method;
      }
      return t instanceof RuntimeException ? (RuntimeException) t : new RuntimeException(t);
    }

    @Override
    public CallFacts facts() {
      return session.facts();
    }

    @Override
    public void onRequestBody(byte[] bytes, int offset, int length) {
      try {
        session.onRequestBody(bytes, offset, length);
      } catch (Throwable t) {
        throw caught("onRequestBody", t);
      }
    }

    @Override
    public void onRequestBodyEnd() {
      try {
        session.onRequestBodyEnd();
      } catch (Throwable t) {
        throw caught("onRequestBodyEnd", t);
      }
    }

    @Override
    public void onResponse(int statusCode, HeaderLookup headers) {
      try {
        session.onResponse(statusCode, headers);
      } catch (Throwable t) {
        throw caught("onResponse", t);
      }
    }

    @Override
    public void onResponseBody(byte[] bytes, int offset, int length) {
      try {
        session.onResponseBody(bytes, offset, length);
      } catch (Throwable t) {
        throw caught("onResponseBody", t);
      }
    }

    @Override
    public void onResponseEnd(boolean complete) {
      try {
        session.onResponseEnd(complete);
      } catch (Throwable t) {
        throw caught("onResponseEnd", t);
      }
    }
  }
}
