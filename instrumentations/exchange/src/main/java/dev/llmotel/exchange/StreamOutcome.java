package dev.llmotel.exchange;

/** How a streamed response ended, as seen from the application's side. */
public enum StreamOutcome {
  /** The protocol's end marker arrived (OpenAI's {@code [DONE]}, Anthropic's {@code message_stop}, ...). */
  COMPLETED("completed"),
  /** The application closed or cancelled the stream before its end. */
  ABANDONED("abandoned"),
  /** The body ended without the protocol's end marker. */
  TRUNCATED("truncated"),
  /** The transport failed mid-stream. */
  FAILED("failed");

  private final String value;

  StreamOutcome(String value) { this.value = value; }

  public String value() { return value; }
}
