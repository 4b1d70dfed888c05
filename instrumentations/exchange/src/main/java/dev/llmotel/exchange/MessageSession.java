package dev.llmotel.exchange;

import java.util.Map;

/**
 * One observed message session (a WebSocket), as a hook reports it: opened from the upgrade request, then text and
 * binary messages in both directions, then closed or failed. The request/response counterpart of {@link Exchange}.
 * Every method is cheap, never throws and may be called from any thread (sends on the application's threads,
 * receipts on the client's reader thread); the session orders them. Text is read during the call only (never kept
 * beyond a bounded copy), binary messages are counted, never copied. The session ends exactly once: the first
 * {@link #closed} or {@link #failed}; anything reported after that is ignored.
 */
public interface MessageSession {
  /** Headers to add to the upgrade request (W3C {@code traceparent}); empty when there is nothing to propagate. */
  Map<String, String> propagationHeaders();

  /** The upgrade succeeded: the server's status (101, or -1 when the client does not expose it) and headers. */
  void opened(int statusCode, HeaderLookup headers);

  /**
   * A text message, or a fragment of one, the application sent.
   *
   * @param last false for a fragment that more fragments of the same message follow
   */
  void textSent(CharSequence text, boolean last);

  /** A text message, or a fragment of one, the application received; see {@link #textSent}. */
  void textReceived(CharSequence text, boolean last);

  /** A whole binary message of {@code length} bytes the application sent. */
  void binarySent(long length);

  /** A whole binary message of {@code length} bytes the application received. */
  void binaryReceived(long length);

  /**
   * A binary message, or a fragment of one, the application sent: a message counts once, when its last fragment
   * is reported. By default only that last fragment's length is told to {@link #binarySent(long)}.
   *
   * @param last false for a fragment that more fragments of the same message follow
   */
  default void binarySent(long length, boolean last) {
    if (last) binarySent(length);
  }

  /** A binary message, or a fragment of one, the application received; see {@link #binarySent(long, boolean)}. */
  default void binaryReceived(long length, boolean last) {
    if (last) binaryReceived(length);
  }

  /** The session closed (by either side) with this code and reason; ends the session. */
  void closed(int code, String reason);

  /** The session failed (the application gets this same exception); ends the session. */
  void failed(Throwable error);
}
