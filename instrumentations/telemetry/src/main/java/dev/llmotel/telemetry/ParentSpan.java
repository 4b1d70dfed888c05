package dev.llmotel.telemetry;

/**
 * A span context from outside the agent's own context (the application's OpenTelemetry API, say), as plain values,
 * with the conversation id the application's context carries, if any (then the ids may be the invalid all-zero ones).
 */
public final class ParentSpan {
  private final String traceId;
  private final String spanId;
  private final byte traceFlags;
  private final boolean remote;
  private final String conversationId;
  private final String userId;
  private final java.util.List<String> tags;

  /**
   * @param traceId 32 lower-case hex characters
   * @param spanId 16 lower-case hex characters
   * @param traceFlags W3C trace flags (bit 0: sampled)
   * @param conversationId the application's conversation / session id (from its baggage), or null
   */
  public ParentSpan(String traceId, String spanId, byte traceFlags, boolean remote, String conversationId) {
    this(traceId, spanId, traceFlags, remote, conversationId, null, null);
  }

  /**
   * @param userId the application's user (from its baggage), or null
   * @param tags the application's tags (from its baggage), or null
   */
  public ParentSpan(String traceId, String spanId, byte traceFlags, boolean remote, String conversationId,
      String userId, java.util.List<String> tags) {
    this.userId = userId;
    this.tags = tags;
    this.traceId = traceId;
    this.spanId = spanId;
    this.traceFlags = traceFlags;
    this.remote = remote;
    this.conversationId = conversationId;
  }

  public String traceId() { return traceId; }
  public String spanId() { return spanId; }
  public byte traceFlags() { return traceFlags; }
  public boolean remote() { return remote; }
  public String conversationId() { return conversationId; }
  public String userId() { return userId; }
  public java.util.List<String> tags() { return tags; }
}
