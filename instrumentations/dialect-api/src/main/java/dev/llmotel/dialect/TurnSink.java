package dev.llmotel.dialect;

/**
 * Where a {@link MessageDialectSession} reports its turns (e.g. one response of a realtime session): each turn's
 * {@link CallFacts} when it begins, and the same object once more when it ends. A turn begun is always ended, at the
 * latest when the session ends.
 */
public interface TurnSink {
  void begun(CallFacts turn, long nanos);

  void ended(CallFacts turn, long nanos);
}
