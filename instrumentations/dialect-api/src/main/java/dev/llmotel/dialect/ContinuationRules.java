package dev.llmotel.dialect;

import java.util.Map;

/**
 * The protocol-neutral rules of a call that spans several exchanges ({@link ContinuationFacts}): how what a later
 * exchange learned joins the call's facts (those of the exchange that opened it), and how a call that no exchange
 * ended is marked. The caller holds the call's facts exclusively while applying them.
 */
public final class ContinuationRules {
  /** {@code llmotel.continuation.end}: why a call that spans several exchanges ended without an exchange ending it. */
  public static final String END_ATTRIBUTE = "llmotel.continuation.end";
  /** No exchange continued the call within the idle limit. */
  public static final String IDLE_LIMIT = "idle_limit";
  /** Too many calls were open: the oldest was ended. */
  public static final String CAPACITY = "capacity";
  /** A new call was opened under the same key. */
  public static final String SUPERSEDED = "superseded";
  /** The application exited with the call still open. */
  public static final String SHUTDOWN = "shutdown";
  static final String TIMEOUT = "timeout";
  static final String UNFINISHED = "unfinished";

  private ContinuationRules() {}

  /**
   * What a later exchange ({@code part}) learned joins the call's facts: usage and response identity when reported
   * (later wins), the provider when the part names the one that served the call, extra attributes (later wins),
   * finish reasons, the content captured, streamed chunks (first and last arrival, count). The part's error and stream
   * outcome count only when the part ends the call: a failed poll or a dropped stream may be followed by another.
   * The part's HTTP status and the call's request stay the opening exchange's.
   */
  public static void merge(CallFacts call, CallFacts part) {
    if (part.request.providerName != null) call.request.providerName = part.request.providerName;
    if (call.request.model == null) call.request.model = part.request.model;
    ResponseFacts r = part.response;
    if (r.id != null) call.response.id = r.id;
    if (r.model != null) call.response.model = r.model;
    for (String reason : r.finishReasons) call.response.addFinishReason(reason);
    if (r.outputMessagesJson != null) call.response.outputMessagesJson = r.outputMessagesJson;
    for (Map.Entry<String, Object> e : r.extra().entrySet()) call.response.putExtra(e.getKey(), e.getValue());
    UsageFacts u = part.usage;
    if (u.inputTokens >= 0) call.usage.inputTokens = u.inputTokens;
    if (u.outputTokens >= 0) call.usage.outputTokens = u.outputTokens;
    if (u.cacheReadTokens >= 0) call.usage.cacheReadTokens = u.cacheReadTokens;
    if (u.cacheCreationTokens >= 0) call.usage.cacheCreationTokens = u.cacheCreationTokens;
    if (u.reasoningTokens >= 0) call.usage.reasoningTokens = u.reasoningTokens;
    StreamFacts s = part.stream;
    if (s.streamed && part.response.eventStream) call.stream.streamed = true;
    if (s.chunkCount > 0) {
      if (call.stream.chunkCount == 0 || s.firstChunkNanos - call.stream.firstChunkNanos < 0) {
        call.stream.firstChunkNanos = s.firstChunkNanos;
      }
      if (call.stream.chunkCount == 0 || s.lastChunkNanos - call.stream.lastChunkNanos > 0) {
        call.stream.lastChunkNanos = s.lastChunkNanos;
      }
      call.stream.chunkCount += s.chunkCount;
    }
    if (!part.continuation.ends()) return;
    if (call.response.errorType == null && r.errorType != null) {
      call.response.errorType = r.errorType;
      call.response.errorMessage = r.errorMessage;
    }
    if (s.outcome != null && call.stream.streamed) call.stream.outcome = s.outcome;
  }

  /**
   * The call ended without an exchange ending it: an error, {@code timeout} after the idle limit, {@code unfinished}
   * otherwise, with the reason in {@value #END_ATTRIBUTE}.
   *
   * @param reason {@link #IDLE_LIMIT}, {@link #CAPACITY}, {@link #SUPERSEDED} or {@link #SHUTDOWN}
   */
  public static void unfinished(CallFacts call, String reason, String message) {
    call.response.putExtra(END_ATTRIBUTE, reason);
    if (call.response.errorType != null) return;
    call.response.errorType = IDLE_LIMIT.equals(reason) ? TIMEOUT : UNFINISHED;
    call.response.errorMessage = message;
  }
}
