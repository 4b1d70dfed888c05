package dev.llmotel.wire;

import java.nio.charset.StandardCharsets;

/**
 * A push-fed Server-Sent Events decoder working on bytes (per the HTML "server-sent events" parsing rules). Lines end
 * in LF, CR or CRLF; {@code data:} lines of one event are joined with '\n'; one space after the colon is dropped;
 * {@code id:}, {@code retry:}, unknown fields and comment lines are ignored; a blank line dispatches the event. Event
 * data stays bytes: a multi-byte character split across feeds comes out whole.
 *
 * <p>Memory is bounded: an event whose data exceeds {@code maxEventBytes} is skipped and reported as oversized. An
 * event that is complete within one feed is handed over without a copy.
 *
 * <p>Not thread-safe; the listener is called from {@link #feed} and {@link #end}. The listener's data array is valid
 * only during the call.
 */
public final class SseDecoder extends LineFramer {
  /** Receives decoded events. */
  public interface Listener {
    /**
     * A dispatched event.
     *
     * @param event the {@code event:} name, or null when the event had none
     */
    void onEvent(String event, byte[] data, int offset, int length);

    /** An event whose data exceeded the limit ended; its data was dropped. */
    default void onOversizedEvent(String event, long dataBytes) {}

    /**
     * The stream ended in the middle of an event (no blank line after its data). The SSE rules say not to dispatch
     * it; it is offered here so a dialect can take note (for example of a final {@code [DONE]}).
     */
    default void onUnterminatedEvent(String event, byte[] data, int offset, int length) {}
  }

  private static final int MAX_EVENT_NAME_BYTES = 128;

  private final Listener listener;
  private final ByteAccumulator data;
  private boolean hasData;
  private boolean oversized;
  private long oversizedBytes;
  /** Data of the event's only line so far, still in the caller's feed (not yet copied). */
  private byte[] deferred;
  private int deferredOffset;
  private int deferredLength;

  private final byte[] eventName = new byte[MAX_EVENT_NAME_BYTES];
  private int eventNameLength = -1;
  private String lastEventName;
  private byte[] lastEventNameBytes;
  private boolean firstLine = true;

  public SseDecoder(int maxEventBytes, Listener listener) {
    super(maxEventBytes + 16);
    this.data = new ByteAccumulator(maxEventBytes);
    this.listener = listener;
  }

  /** Decodes the next bytes of the stream. */
  public void feed(byte[] bytes, int offset, int length) {
    feedBytes(bytes, offset, length);
  }

  /** The stream ended: an event still pending is offered to {@link Listener#onUnterminatedEvent}. */
  public void end() {
    flushPartialLine();
    materialize();
    if (!hasData) return;
    String name = eventName();
    boolean tooLarge = oversized;
    long tooLargeBytes = oversizedBytes;
    resetEvent();
    if (tooLarge) listener.onOversizedEvent(name, tooLargeBytes);
    else listener.onUnterminatedEvent(name, data.array(), 0, data.length());
  }

  @Override
  void onLine(byte[] b, int off, int len, boolean inPlace) {
    if (firstLine) {
      firstLine = false;
      if (len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF) {
        off += 3;
        len -= 3;
      }
    }
    if (len == 0) {
      dispatch();
      return;
    }
    byte c0 = b[off];
    if (c0 == ':') return;
    if (len >= 5 && c0 == 'd' && b[off + 1] == 'a' && b[off + 2] == 't' && b[off + 3] == 'a' && b[off + 4] == ':') {
      int v = off + 5;
      if (v < off + len && b[v] == ' ') v++;
      appendData(b, v, off + len - v, inPlace);
      return;
    }
    int end = off + len;
    int colon = off;
    while (colon < end && b[colon] != ':') colon++;
    int valueStart = colon + 1;
    if (valueStart < end && b[valueStart] == ' ') valueStart++;
    if (valueStart > end) valueStart = end;
    int nameLength = colon - off;
    if (is(b, off, nameLength, "data")) {
      appendData(b, valueStart, end - valueStart, inPlace);
    } else if (is(b, off, nameLength, "event")) {
      eventNameLength = Math.min(end - valueStart, MAX_EVENT_NAME_BYTES);
      System.arraycopy(b, valueStart, eventName, 0, eventNameLength);
    }
    // id, retry and unknown fields do not matter to us
  }

  @Override
  void onOverlongLine(byte[] prefix, int offset, int prefixLength, long fullLength) {
    if (prefixLength > 0 && prefix[offset] == ':') return;
    int end = offset + prefixLength;
    int colon = offset;
    while (colon < end && prefix[colon] != ':') colon++;
    if (!is(prefix, offset, colon - offset, "data")) return;
    int valueStart = colon + 1;
    if (valueStart < end && prefix[valueStart] == ' ') valueStart++;
    long valueLength = fullLength - (valueStart - offset);
    if (oversized) {
      oversizedBytes += valueLength + 1;
      return;
    }
    materialize();
    long total = hasData ? data.length() + 1 + valueLength : valueLength;
    hasData = true;
    markOversized(total);
  }

  @Override
  void afterFeed() {
    materialize();
  }

  private void appendData(byte[] b, int off, int len, boolean inPlace) {
    if (oversized) {
      oversizedBytes += len + 1;
      return;
    }
    if (!hasData) {
      hasData = true;
      if (inPlace) {
        deferred = b;
        deferredOffset = off;
        deferredLength = len;
        if (len > data.capacity()) markOversized(len);
        return;
      }
      data.clear();
      if (!data.append(b, off, len)) markOversized(len);
      return;
    }
    materialize();
    if (oversized) {
      oversizedBytes += len + 1;
      return;
    }
    long total = (long) data.length() + 1 + len;
    if (total > data.capacity()) {
      markOversized(total);
      return;
    }
    data.append((byte) '\n');
    data.append(b, off, len);
  }

  /** Copies deferred in-place data into the buffer before the caller's array goes away. */
  private void materialize() {
    if (deferred == null) return;
    byte[] d = deferred;
    deferred = null;
    data.clear();
    if (!oversized && !data.append(d, deferredOffset, deferredLength)) markOversized(deferredLength);
  }

  private void markOversized(long bytes) {
    oversized = true;
    oversizedBytes = bytes;
    deferred = null;
    data.clear();
  }

  private void dispatch() {
    if (!hasData) {
      eventNameLength = -1;
      return;
    }
    String name = eventName();
    if (oversized) {
      long bytes = oversizedBytes;
      resetEvent();
      listener.onOversizedEvent(name, bytes);
    } else if (deferred != null) {
      byte[] d = deferred;
      int off = deferredOffset;
      int len = deferredLength;
      resetEvent();
      listener.onEvent(name, d, off, len);
    } else {
      resetEvent();
      listener.onEvent(name, data.array(), 0, data.length());
    }
  }

  /** Forgets the current event; its bytes stay readable in the buffer until the next append. */
  private void resetEvent() {
    hasData = false;
    oversized = false;
    oversizedBytes = 0;
    deferred = null;
    eventNameLength = -1;
  }

  private String eventName() {
    int n = eventNameLength;
    if (n < 0) return null;
    byte[] last = lastEventNameBytes;
    if (last != null && last.length == n) {
      boolean same = true;
      for (int i = 0; i < n && same; i++) same = last[i] == eventName[i];
      if (same) return lastEventName;
    }
    byte[] copy = new byte[n];
    System.arraycopy(eventName, 0, copy, 0, n);
    lastEventNameBytes = copy;
    lastEventName = new String(copy, StandardCharsets.UTF_8);
    return lastEventName;
  }

  private static boolean is(byte[] b, int off, int len, String ascii) {
    if (len != ascii.length()) return false;
    for (int i = 0; i < len; i++) if (b[off + i] != ascii.charAt(i)) return false;
    return true;
  }
}
