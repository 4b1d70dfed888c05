package dev.llmotel.exchange;

import java.util.Map;

/**
 * The processing side of a message session, fed by a {@link GuardedMessageSession}: whole text messages (fragments
 * joined, each cut at a bound), binary sizes, and exactly one end. Called one event at a time, never concurrently,
 * under the session's lock, which the application's sends may wait for: a call only updates what is known (parses,
 * counts) and leaves the slower work (recording spans and metrics, telling listeners) to {@link #deferred()}. Must
 * not throw.
 */
public interface MessageHandler {
  /** Headers to add to the upgrade request, fixed when the session began. */
  Map<String, String> propagationHeaders();

  void opened(long nanos, int statusCode, HeaderLookup headers);

  /**
   * One whole text message, valid during the call only.
   *
   * @param sent true for a message the application sent, false for one it received
   * @param cut true when the message was longer than the bound and only its start is given
   */
  void text(long nanos, boolean sent, CharSequence message, boolean cut);

  void binary(long nanos, boolean sent, long length);

  /**
   * How many characters of a message that arrives in fragments to join, decided from its first fragment; the
   * session's own bound applies too. By default no limit of its own.
   *
   * @param start the first fragment, valid during the call only
   */
  default int maxMessageChars(boolean sent, CharSequence start) {
    return Integer.MAX_VALUE;
  }

  /**
   * The session is over.
   *
   * @param code the close code, or -1 on failure
   * @param error the failure, or null for a close
   */
  void ended(long nanos, int code, String reason, Throwable error);

  /**
   * The work the calls so far left to do outside the session's lock (recording what ended, telling listeners), handed
   * over once: asked under the lock right after each call, run by the same thread once the lock is released.
   *
   * @return the work, or null when there is none
   */
  default Runnable deferred() {
    return null;
  }
}
