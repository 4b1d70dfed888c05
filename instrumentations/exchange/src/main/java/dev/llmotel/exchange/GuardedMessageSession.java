package dev.llmotel.exchange;

import java.util.Map;

/**
 * The {@link MessageSession} hooks report to: serialises the reports (sends and receipts come from different
 * threads), passes a message that arrives whole as it is (read in place, never copied, whatever its size), joins a
 * message that arrives in fragments into a copy of at most {@code maxMessageChars} characters, or fewer when the
 * handler needs less of that message ({@link MessageHandler#maxMessageChars}); a longer one keeps its first
 * characters and its last {@link #TAIL_CHARS}, where protocols put their closing fields such as a usage, and is
 * marked cut. A binary message in fragments counts once, when it ends. Ends once, and swallows anything the handler
 * throws. The lock is held only while the handler takes an event in; the work it defers ({@link
 * MessageHandler#deferred()}: recording, listeners) runs after the lock is released, on the reporting thread, so
 * that an application's send never waits behind telemetry work. Memory per session is bounded by two partial
 * messages (one per direction) of at most {@code maxMessageChars}, however long the session lasts: nothing is kept
 * between messages.
 */
public final class GuardedMessageSession implements MessageSession {
  /** Characters kept from the end of a fragmented message longer than the bound. */
  public static final int TAIL_CHARS = 4096;
  private final MessageHandler handler;
  private final int maxMessageChars;
  private final Assembly sent = new Assembly();
  private final Assembly received = new Assembly();
  /** Bytes of the binary message being received (or sent) in fragments so far: it counts once, when it ends. */
  private long sentBinary;
  private long receivedBinary;
  private boolean ended;

  public GuardedMessageSession(MessageHandler handler, int maxMessageChars) {
    this.handler = handler;
    this.maxMessageChars = Math.max(0, maxMessageChars);
  }

  @Override
  public Map<String, String> propagationHeaders() {
    try {
      return handler.propagationHeaders();
    } catch (Throwable t) {
      return java.util.Collections.emptyMap();
    }
  }

  @Override
  public void opened(int statusCode, HeaderLookup headers) {
    Runnable work;
    synchronized (this) {
      if (ended) return;
      try {
        handler.opened(System.nanoTime(), statusCode, headers == null ? HeaderLookup.NONE : headers);
      } catch (Throwable ignored) {
        // the application's session goes on
      }
      work = deferred();
    }
    run(work);
  }

  @Override
  public void textSent(CharSequence text, boolean last) {
    Runnable work;
    synchronized (this) {
      text(sent, true, text, last);
      work = deferred();
    }
    run(work);
  }

  @Override
  public void textReceived(CharSequence text, boolean last) {
    Runnable work;
    synchronized (this) {
      text(received, false, text, last);
      work = deferred();
    }
    run(work);
  }

  /** Under the lock: the work the handler left to do outside it. */
  private Runnable deferred() {
    try {
      return handler.deferred();
    } catch (Throwable t) {
      return null;
    }
  }

  /** Outside the lock. */
  private static void run(Runnable work) {
    if (work == null) return;
    try {
      work.run();
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
  }

  private void text(Assembly assembly, boolean isSent, CharSequence text, boolean last) {
    if (ended || text == null) return;
    long now = System.nanoTime();
    try {
      if (last && assembly.isEmpty()) {
        // the usual case: a whole message, read in place
        handler.text(now, isSent, text, false);
        return;
      }
      if (assembly.isEmpty()) assembly.max = boundOf(isSent, text);
      assembly.append(text, assembly.max);
      if (!last) return;
      CharSequence whole = assembly.message();
      boolean cut = assembly.cut;
      assembly.reset();
      handler.text(now, isSent, whole, cut);
    } catch (Throwable ignored) {
      assembly.reset();
    }
  }

  /** The bound of a message whose first fragment this is. */
  private int boundOf(boolean isSent, CharSequence start) {
    try {
      return Math.max(0, Math.min(maxMessageChars, handler.maxMessageChars(isSent, start)));
    } catch (Throwable t) {
      return maxMessageChars;
    }
  }

  @Override
  public void binarySent(long length) {
    binarySent(length, true);
  }

  @Override
  public void binaryReceived(long length) {
    binaryReceived(length, true);
  }

  @Override
  public void binarySent(long length, boolean last) {
    Runnable work;
    synchronized (this) {
      if (!last) {
        sentBinary += Math.max(0, length);
        return;
      }
      binary(true, sentBinary + Math.max(0, length));
      sentBinary = 0;
      work = deferred();
    }
    run(work);
  }

  @Override
  public void binaryReceived(long length, boolean last) {
    Runnable work;
    synchronized (this) {
      if (!last) {
        receivedBinary += Math.max(0, length);
        return;
      }
      binary(false, receivedBinary + Math.max(0, length));
      receivedBinary = 0;
      work = deferred();
    }
    run(work);
  }

  private void binary(boolean isSent, long length) {
    if (ended) return;
    try {
      handler.binary(System.nanoTime(), isSent, length);
    } catch (Throwable ignored) {
      // see above
    }
  }

  @Override
  public void closed(int code, String reason) {
    Runnable work;
    synchronized (this) {
      end(code, reason, null);
      work = deferred();
    }
    run(work);
  }

  @Override
  public void failed(Throwable error) {
    Runnable work;
    synchronized (this) {
      end(-1, null, error);
      work = deferred();
    }
    run(work);
  }

  private void end(int code, String reason, Throwable error) {
    if (ended) return;
    ended = true;
    sent.reset();
    received.reset();
    try {
      handler.ended(System.nanoTime(), code, reason, error);
    } catch (Throwable ignored) {
      // see above
    }
  }

  /** The fragments of one message in one direction: up to the bound, then a rolling tail. */
  private static final class Assembly {
    StringBuilder buffer;
    /** The last characters past the bound (at most 2 * TAIL_CHARS held, TAIL_CHARS kept). */
    StringBuilder tail;
    boolean cut;
    /** The bound of the message being joined: the session's, or less when the handler needs less of it. */
    int max;

    boolean isEmpty() {
      return buffer == null || buffer.length() == 0 && !cut;
    }

    void append(CharSequence text, int max) {
      int headMax = max > 2 * TAIL_CHARS ? max - TAIL_CHARS : max;
      if (buffer == null) buffer = new StringBuilder(Math.min(headMax, Math.max(16, text.length())));
      int room = headMax - buffer.length();
      if (room > 0) buffer.append(text, 0, Math.min(room, text.length()));
      if (text.length() <= room) return;
      cut = true;
      if (headMax == max) return;
      if (tail == null) tail = new StringBuilder(2 * TAIL_CHARS);
      int from = Math.max(Math.max(room, 0), text.length() - TAIL_CHARS);
      tail.append(text, from, text.length());
      if (tail.length() > 2 * TAIL_CHARS) tail.delete(0, tail.length() - TAIL_CHARS);
    }

    CharSequence message() {
      if (tail == null) return buffer;
      if (tail.length() > TAIL_CHARS) tail.delete(0, tail.length() - TAIL_CHARS);
      return buffer.append(tail);
    }

    void reset() {
      // a fresh buffer each message: the handler may still hold the previous one during its call only
      buffer = null;
      tail = null;
      cut = false;
    }
  }
}
