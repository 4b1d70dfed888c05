package dev.llmotel.dialect;

import dev.llmotel.exchange.StreamOutcome;

/**
 * How a call streamed. The dialect says what a chunk is ({@link #chunkArrived()}) and when the protocol's end marker
 * arrived ({@link #markEnd()}); the times, the count and the {@link #outcome} are the neutral rules' ({@link
 * StreamRules}).
 */
public final class StreamFacts {
  /** The call streamed: the request asked for a stream, or the response was an event stream. */
  public boolean streamed;
  /** How the stream ended; null for a call that did not stream. Set by {@link StreamRules}. */
  public StreamOutcome outcome;
  /** {@link System#nanoTime()} when the first streamed chunk (event or line) arrived; 0 when none did. */
  public long firstChunkNanos;
  public long lastChunkNanos;
  public int chunkCount;

  private boolean endMarked;
  /**
   * {@link System#nanoTime()} at which the bytes now being parsed reached the application, when they are parsed later
   * (off the application's thread); 0 while parsing happens as the bytes arrive.
   */
  private long bytesArrivedNanos;

  /** The exchange tells when the bytes it is about to feed arrived; 0: they arrive now. */
  public void setBytesArrivedNanos(long nanoTime) {
    bytesArrivedNanos = nanoTime;
  }

  /** Records the arrival of one streamed chunk: when the bytes carrying it reached the application. */
  public void chunkArrived() {
    long now = bytesArrivedNanos != 0 ? bytesArrivedNanos : System.nanoTime();
    if (chunkCount++ == 0) firstChunkNanos = now;
    lastChunkNanos = now;
  }

  /**
   * The protocol says the stream is complete (OpenAI's {@code [DONE]}, Anthropic's {@code message_stop}, a final
   * NDJSON line with {@code done: true}). Marked while the body is still being read, the call ends at once: the
   * application may never read to the end nor close.
   */
  public void markEnd() {
    endMarked = true;
  }

  public boolean endMarked() {
    return endMarked;
  }

  /** Time from {@code startNanoTime} to the first streamed chunk; -1 when the call did not stream or none came. */
  public long timeToFirstChunkNanos(long startNanoTime) {
    return streamed && firstChunkNanos != 0 ? firstChunkNanos - startNanoTime : -1;
  }
}
