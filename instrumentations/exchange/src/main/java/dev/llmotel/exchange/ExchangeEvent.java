package dev.llmotel.exchange;

/**
 * One thing that happened to an exchange, stamped with the {@link System#nanoTime()} at which it happened on the
 * application's side. Its bytes are valid only while the event is handled, within {@code offset} and {@code length}:
 * a queued body piece lives in a pooled block that is reused once the handling returns, and an event processed at once
 * points into the client's own buffer.
 */
public final class ExchangeEvent {
  public enum Kind {
    REQUEST_BODY, REQUEST_END, RESPONSE, RESPONSE_BODY,
    /** The application read the body to its end (or there was none to read). Ends the exchange. */
    BODY_END,
    /** The application closed the body early, or left it idle too long. Ends the exchange. */
    BODY_CLOSED,
    /** The transport failed. Ends the exchange. */
    FAILED;

    /** True for the kinds after which nothing more happens to the exchange. */
    public boolean ends() {
      return this == BODY_END || this == BODY_CLOSED || this == FAILED;
    }
  }

  public final Kind kind;
  public final long nanos;
  byte[] bytes;
  int offset;
  int length;
  int status;
  HeaderLookup headers;
  Throwable error;
  ExchangeEvent next;
  /**
   * A run of body pieces of this kind packed in a {@link BodyBlocks} block ({@code bytes} from {@code offset}, {@code
   * length} bytes of headers and bytes): queued without an event or an array per piece; unpacked, one event per
   * piece, when processed.
   */
  boolean packed;

  ExchangeEvent(Kind kind, long nanos) {
    this.kind = kind;
    this.nanos = nanos;
  }

  /** The body bytes of a {@link Kind#REQUEST_BODY} or {@link Kind#RESPONSE_BODY} event: {@link #offset()}, {@link #length()}. */
  public byte[] bytes() { return bytes; }
  public int offset() { return offset; }
  public int length() { return length; }
  /** The status of a {@link Kind#RESPONSE} event. */
  public int status() { return status; }
  /** The headers of a {@link Kind#RESPONSE} event. */
  public HeaderLookup headers() { return headers; }
  /** The exception of a {@link Kind#FAILED} event. */
  public Throwable error() { return error; }
}
