package dev.llmotel.wire;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * A push-fed decoder for the AWS event-stream binary framing ({@code application/vnd.amazon.eventstream}), as Bedrock
 * Runtime (ConverseStream, InvokeModelWithResponseStream), Transcribe and Kinesis use it. One message is:
 *
 * <pre>
 *   prelude   total length (4 bytes, big-endian, the whole message) | headers length (4) | CRC32 of those 8 bytes (4)
 *   headers   repeated: name length (1) | name (UTF-8) | value type (1) | value
 *   payload   total length - headers length - 16 bytes
 *   trailer   CRC32 of everything before it (4)
 * </pre>
 *
 * Header value types: 0 true, 1 false (no value), 2 byte, 3 short, 4 int, 5 long, 6 bytes and 7 string (2-byte
 * length, then the bytes), 8 timestamp (8), 9 UUID (16). Only string headers are read (the ones that matter are
 * {@code :message-type} ({@code event} / {@code exception} / {@code error}), {@code :event-type},
 * {@code :exception-type}, {@code :error-code}); the others are stepped over.
 *
 * <p>Memory is bounded: a message whose headers and payload exceed {@code maxMessageBytes} is not kept; its headers
 * are still read when they fit, its payload is only counted and checked, and it is reported as oversized. A message
 * complete within one feed is handed over without a copy.
 *
 * <p>Failures: a message whose trailing CRC does not match (or whose headers cannot be read) is reported and skipped,
 * and decoding goes on with the next message, since the prelude said where it starts. A prelude whose CRC does not
 * match, or whose lengths are impossible, means the framing is lost: it is reported once and nothing after it is
 * decoded. A stream that ends inside a message is reported at {@link #end()}.
 *
 * <p>Not thread-safe; the listener is called from {@link #feed} and {@link #end}. The payload array is valid only
 * during the call.
 */
public final class AwsEventStreamDecoder {
  /** Receives decoded messages. */
  public interface Listener {
    /**
     * One message whose checksums matched.
     *
     * @param messageType {@code :message-type} ({@code event}, {@code exception}, {@code error}), or null
     * @param eventType {@code :event-type} (e.g. {@code contentBlockDelta}, {@code chunk}), or null
     * @param exceptionType {@code :exception-type} (e.g. {@code throttlingException}), else {@code :error-code}, or
     *     null
     */
    void onMessage(String messageType, String eventType, String exceptionType, byte[] payload, int offset,
        int length);

    /**
     * A message larger than the limit was skipped (its checksum was still verified). Its header values are null when
     * the headers themselves were over the limit.
     */
    default void onOversizedMessage(String messageType, String eventType, String exceptionType, long payloadBytes) {}

    /** A message was skipped because its trailing CRC did not match or its headers were malformed. */
    default void onCorruptMessage(String reason) {}

    /** The framing was lost (bad prelude CRC or impossible lengths); nothing more is decoded. */
    default void onCorruptStream(String reason) {}

    /** The stream ended inside a message, {@code bytesOfMessage} bytes into it. */
    default void onTruncated(long bytesOfMessage) {}
  }

  /** The prelude: total length, headers length, prelude CRC. */
  private static final int PRELUDE = 12;
  /** Prelude plus trailing message CRC: the smallest possible message. */
  private static final int OVERHEAD = 16;

  private static final int STATE_PRELUDE = 0;
  private static final int STATE_BODY = 1;
  private static final int STATE_TRAILER = 2;
  private static final int STATE_FAILED = 3;

  private final Listener listener;
  private final int maxMessageBytes;
  private final CRC32 crc = new CRC32();
  private final ByteAccumulator body;

  private int state = STATE_PRELUDE;
  private final byte[] prelude = new byte[PRELUDE];
  private int preludeCount;
  private final byte[] trailer = new byte[4];
  private int trailerCount;

  /** Headers plus payload of the current message. */
  private long bodyLength;
  private int headersLength;
  private long bodyRead;
  private boolean oversized;
  /** The current message's body lies whole in the caller's feed. */
  private byte[] inPlace;
  private int inPlaceOffset;

  private String messageType;
  private String eventType;
  private String exceptionType;
  private final StringCache strings = new StringCache();

  /**
   * @param maxMessageBytes headers plus payload of one message kept at most; larger messages are skipped and
   *     reported
   */
  public AwsEventStreamDecoder(int maxMessageBytes, Listener listener) {
    this.maxMessageBytes = Math.max(0, maxMessageBytes);
    this.body = new ByteAccumulator(this.maxMessageBytes);
    this.listener = listener;
  }

  /** Decodes the next bytes of the stream. */
  public void feed(byte[] bytes, int offset, int length) {
    int pos = offset;
    int end = offset + length;
    while (pos < end && state != STATE_FAILED) {
      switch (state) {
        case STATE_PRELUDE: {
          int n = Math.min(PRELUDE - preludeCount, end - pos);
          System.arraycopy(bytes, pos, prelude, preludeCount, n);
          preludeCount += n;
          pos += n;
          if (preludeCount == PRELUDE) startMessage(bytes, pos, end);
          break;
        }
        case STATE_BODY:
          if (inPlace != null) {
            // the whole body and trailer are in this feed (checked when the message started)
            int n = (int) bodyLength;
            crc.update(bytes, pos, n);
            bodyRead = bodyLength;
            pos += n;
            state = STATE_TRAILER;
          } else {
            pos += readBody(bytes, pos, end);
          }
          break;
        case STATE_TRAILER: {
          int n = Math.min(4 - trailerCount, end - pos);
          System.arraycopy(bytes, pos, trailer, trailerCount, n);
          trailerCount += n;
          pos += n;
          if (trailerCount == 4) finishMessage();
          break;
        }
        default:
          return;
      }
    }
  }

  /** The stream ended: a message still incomplete is reported as truncated. */
  public void end() {
    if (state == STATE_FAILED) return;
    long seen;
    if (state == STATE_PRELUDE) {
      seen = preludeCount;
    } else {
      seen = PRELUDE + bodyRead + trailerCount;
    }
    if (seen > 0) listener.onTruncated(seen);
    state = STATE_FAILED;
    body.release();
  }

  private void startMessage(byte[] bytes, int pos, int end) {
    long total = u32(prelude, 0);
    long headers = u32(prelude, 4);
    long expectedCrc = u32(prelude, 8);
    crc.reset();
    crc.update(prelude, 0, 8);
    if (crc.getValue() != expectedCrc) {
      fail("prelude checksum mismatch");
      return;
    }
    if (total < OVERHEAD || headers > total - OVERHEAD) {
      fail("impossible message length " + total + " with headers of " + headers);
      return;
    }
    crc.update(prelude, 8, 4);
    bodyLength = total - OVERHEAD;
    headersLength = (int) headers;
    bodyRead = 0;
    trailerCount = 0;
    oversized = bodyLength > maxMessageBytes;
    body.clear();
    inPlace = null;
    state = STATE_BODY;
    if (!oversized && end - pos >= bodyLength + 4) {
      inPlace = bytes;
      inPlaceOffset = pos;
    }
  }

  /** Reads what the feed has of the current body; returns the bytes consumed. */
  private int readBody(byte[] bytes, int pos, int end) {
    int n = (int) Math.min(bodyLength - bodyRead, end - pos);
    crc.update(bytes, pos, n);
    if (!oversized) {
      body.append(bytes, pos, n);
    } else if (headersLength <= maxMessageBytes && bodyRead < headersLength) {
      // keep the headers of an oversized message, to say what it was
      body.append(bytes, pos, (int) Math.min(n, headersLength - bodyRead));
    }
    bodyRead += n;
    if (bodyRead == bodyLength) state = STATE_TRAILER;
    return n;
  }

  private void finishMessage() {
    state = STATE_PRELUDE;
    preludeCount = 0;
    byte[] b;
    int off;
    if (inPlace != null) {
      b = inPlace;
      off = inPlaceOffset;
      inPlace = null;
    } else {
      b = body.array();
      off = 0;
    }
    if (crc.getValue() != u32(trailer, 0)) {
      listener.onCorruptMessage("message checksum mismatch");
      return;
    }
    boolean headersKept = !oversized || headersLength <= maxMessageBytes;
    messageType = null;
    eventType = null;
    exceptionType = null;
    if (headersKept && !readHeaders(b, off, headersLength)) {
      listener.onCorruptMessage("malformed headers");
      return;
    }
    long payloadLength = bodyLength - headersLength;
    if (oversized) {
      listener.onOversizedMessage(messageType, eventType, exceptionType, payloadLength);
    } else {
      listener.onMessage(messageType, eventType, exceptionType, b, off + headersLength, (int) payloadLength);
    }
  }

  /** Reads the string headers that matter; false when the headers are malformed. */
  private boolean readHeaders(byte[] b, int off, int len) {
    int p = off;
    int end = off + len;
    String errorCode = null;
    while (p < end) {
      int nameLength = b[p++] & 0xFF;
      if (nameLength == 0 || p + nameLength + 1 > end) return false;
      int nameOffset = p;
      p += nameLength;
      int type = b[p++];
      int valueLength;
      switch (type) {
        case 0:
        case 1:
          valueLength = 0;
          break;
        case 2:
          valueLength = 1;
          break;
        case 3:
          valueLength = 2;
          break;
        case 4:
          valueLength = 4;
          break;
        case 5:
        case 8:
          valueLength = 8;
          break;
        case 9:
          valueLength = 16;
          break;
        case 6:
        case 7:
          if (p + 2 > end) return false;
          valueLength = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
          p += 2;
          break;
        default:
          return false;
      }
      if (p + valueLength > end) return false;
      if (type == 7) {
        if (is(b, nameOffset, nameLength, ":message-type")) {
          messageType = strings.get(0, b, p, valueLength);
        } else if (is(b, nameOffset, nameLength, ":event-type")) {
          eventType = strings.get(1, b, p, valueLength);
        } else if (is(b, nameOffset, nameLength, ":exception-type")) {
          exceptionType = strings.get(2, b, p, valueLength);
        } else if (is(b, nameOffset, nameLength, ":error-code")) {
          errorCode = strings.get(3, b, p, valueLength);
        }
      }
      p += valueLength;
    }
    if (exceptionType == null) exceptionType = errorCode;
    return true;
  }

  private void fail(String reason) {
    state = STATE_FAILED;
    body.release();
    listener.onCorruptStream(reason);
  }

  private static long u32(byte[] b, int off) {
    return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  private static boolean is(byte[] b, int off, int len, String ascii) {
    if (len != ascii.length()) return false;
    for (int i = 0; i < len; i++) if (b[off + i] != ascii.charAt(i)) return false;
    return true;
  }

  /** The last string decoded per header slot: a stream repeats the same few values, so they are decoded once. */
  private static final class StringCache {
    private final byte[][] bytes = new byte[4][];
    private final String[] values = new String[4];

    String get(int slot, byte[] b, int off, int len) {
      byte[] last = bytes[slot];
      if (last != null && last.length == len) {
        boolean same = true;
        for (int i = 0; i < len && same; i++) same = last[i] == b[off + i];
        if (same) return values[slot];
      }
      byte[] copy = new byte[len];
      System.arraycopy(b, off, copy, 0, len);
      bytes[slot] = copy;
      values[slot] = new String(copy, StandardCharsets.UTF_8);
      return values[slot];
    }
  }
}
