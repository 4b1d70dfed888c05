package dev.llmotel.telemetry;

/** A span context from outside the agent's own context (the application's OpenTelemetry API, say), as plain values. */
public final class ParentSpan {
  private final String traceId;
  private final String spanId;
  private final byte traceFlags;
  private final boolean remote;

  /**
   * @param traceId 32 lower-case hex characters
   * @param spanId 16 lower-case hex characters
   * @param traceFlags W3C trace flags (bit 0: sampled)
   */
  public ParentSpan(String traceId, String spanId, byte traceFlags, boolean remote) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.traceFlags = traceFlags;
    this.remote = remote;
  }

  public String traceId() { return traceId; }
  public String spanId() { return spanId; }
  public byte traceFlags() { return traceFlags; }
  public boolean remote() { return remote; }
}
