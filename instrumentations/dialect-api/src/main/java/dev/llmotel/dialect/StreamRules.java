package dev.llmotel.dialect;

import dev.llmotel.exchange.StreamOutcome;

/** How a streamed call ended, whatever the protocol: the one place the stream outcome is decided. */
public final class StreamRules {
  static final String TRUNCATED_ERROR = "stream_truncated";

  private StreamRules() {}

  /**
   * The response body ended.
   *
   * @param complete the application read to the end (false: it closed the body early, or left it idle)
   */
  public static void bodyEnded(CallFacts facts, boolean complete) {
    StreamFacts stream = facts.stream;
    if (!appliesTo(facts) || stream.outcome != null) return;
    if (stream.endMarked()) {
      stream.outcome = StreamOutcome.COMPLETED;
    } else if (!complete) {
      stream.outcome = StreamOutcome.ABANDONED;
    } else {
      stream.outcome = StreamOutcome.TRUNCATED;
      if (facts.response.errorType == null) facts.response.errorType = TRUNCATED_ERROR;
    }
  }

  /** The transport failed: the exception's class is the error type unless the protocol said more. */
  public static void failed(CallFacts facts, Throwable error) {
    if (facts.response.errorType == null) {
      facts.response.errorType = error.getClass().getName();
      facts.response.errorMessage = error.getMessage();
    }
    if (facts.stream.streamed && !facts.stream.endMarked() && facts.stream.outcome == null) {
      facts.stream.outcome = StreamOutcome.FAILED;
    }
  }

  /**
   * A stream outcome is given to calls whose response was an event stream, and to calls that asked for a stream and
   * ended before any response arrived; an error response to a streaming request (a JSON body) has none.
   */
  private static boolean appliesTo(CallFacts facts) {
    return facts.stream.streamed && (facts.response.eventStream || facts.response.httpStatus < 0);
  }
}
