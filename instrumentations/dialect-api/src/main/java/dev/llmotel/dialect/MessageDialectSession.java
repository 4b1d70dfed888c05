package dev.llmotel.dialect;

import dev.llmotel.exchange.HeaderLookup;

/**
 * The dialect's view of one message session. Called one event at a time, in order; each method is cheap and must
 * tolerate anything (malformed, cut or huge messages) without throwing. What it learns of the session as a whole
 * goes into {@link #facts()}; what it learns of each turn goes into that turn's own {@link CallFacts}, handed to the
 * {@link TurnSink} when the turn begins and again when it ends. A session keeps no message once its call returns:
 * memory stays bounded however long it lasts.
 */
public interface MessageDialectSession {
  /** The session's facts; the same object throughout. */
  CallFacts facts();

  void onOpen(long nanos, int statusCode, HeaderLookup headers);

  /**
   * How many characters of a message that arrives in fragments this session reads, decided from its first fragment
   * (e.g. from the event's type: a few hundred for an audio delta whose type alone matters). The fragments are joined
   * up to the smaller of this and the context's {@link DialectContext#maxEventBytes()}; a longer message is given
   * cut (its first characters, then its last {@code GuardedMessageSession.TAIL_CHARS} when the bound is more than
   * twice that). A message that arrives whole is given whole. Cheap, never throws; by default no limit of its own.
   *
   * @param start the first fragment, valid during the call only
   */
  default int maxMessageChars(boolean sent, CharSequence start) {
    return Integer.MAX_VALUE;
  }

  /**
   * @param sent true for a message the application sent
   * @param message valid during the call only
   * @param cut true when only the start of a longer message is given
   */
  void onText(long nanos, boolean sent, CharSequence message, boolean cut);

  void onBinary(long nanos, boolean sent, long length);

  /**
   * The session is over: ends the turns still open (as errors) through the sink, then completes {@link #facts()}.
   *
   * @param code the close code, or -1 on failure
   * @param error the transport failure, or null for a close
   */
  void onEnd(long nanos, int code, String reason, Throwable error);
}
