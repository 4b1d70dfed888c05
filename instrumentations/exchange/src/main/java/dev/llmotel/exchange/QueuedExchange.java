package dev.llmotel.exchange;

import dev.llmotel.exchange.ExchangeEvent.Kind;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The reporting side of an exchange: the {@link Exchange} a hook talks to. Every call stamps the event with the time
 * it happened and hands it to the {@link ExchangeWorker}: processed at once when the worker is inline, otherwise
 * queued (bytes copied, since a client reuses its buffers) for the worker's thread. Queued bytes of one exchange are
 * capped: past the cap the reporting thread processes the backlog itself, so memory stays bounded whatever the body
 * size and however busy the worker. Processing ({@link ExchangeHandler}) happens under this object's lock, one event
 * at a time, in the order the events happened. Every method is guarded: nothing reaches the application.
 */
public final class QueuedExchange implements Exchange {
  private final ExchangeHandler handler;
  private final ExchangeWorker worker;
  private final IdleExchangeReaper reaper;
  private final int maxQueuedBytes;

  // reporting side, guarded by queueLock
  private final Object queueLock = new Object();
  private ExchangeEvent head;
  private ExchangeEvent tail;
  private int queuedBytes;
  private long charged; // what this exchange's queued events weigh in the worker's backlog
  private boolean scheduled;
  private boolean lastEventQueued;
  /** The block this exchange copies body pieces into until the worker takes its events, or null. */
  private byte[] block;
  private int blockUsed;
  private volatile long lastActivityNanos;
  /** The response's head was reported: from then on an idle exchange is one the application left (see the reaper). */
  private volatile boolean responded;

  // processing side, guarded by this
  private volatile boolean ended;
  private boolean tracked;

  /**
   * @param reaper ends the exchange if the application leaves it idle too long; null: never
   * @param maxQueuedBytes bytes that may wait for a background worker; beyond, the reporting thread processes them
   */
  QueuedExchange(ExchangeHandler handler, ExchangeWorker worker, IdleExchangeReaper reaper, int maxQueuedBytes) {
    this.handler = handler;
    this.worker = worker;
    this.reaper = reaper;
    this.maxQueuedBytes = maxQueuedBytes;
    this.lastActivityNanos = System.nanoTime();
  }

  @Override
  public Map<String, String> propagationHeaders() {
    return handler.propagationHeaders();
  }

  @Override
  public void requestBody(byte[] bytes, int offset, int length) {
    if (length > 0) report(Kind.REQUEST_BODY, bytes, offset, length, 0, null, null);
  }

  @Override
  public void requestBodyEnd() {
    report(Kind.REQUEST_END, null, 0, 0, 0, null, null);
  }

  @Override
  public void response(int statusCode, HeaderLookup headers) {
    responded = true;
    report(Kind.RESPONSE, null, 0, 0, statusCode, headers, null);
  }

  @Override
  public void responseBody(byte[] bytes, int offset, int length) {
    if (length > 0) report(Kind.RESPONSE_BODY, bytes, offset, length, 0, null, null);
  }

  /** Bytes of a buffer: queued in one copy (the inline path reads them through the buffer's array or in pieces). */
  @Override
  public void responseBody(ByteBuffer buffer) {
    if (ended || !buffer.hasRemaining()) return;
    if (worker.isInline()) {
      Exchange.super.responseBody(buffer);
      return;
    }
    try {
      queueBody(Kind.RESPONSE_BODY, null, 0, buffer, buffer.remaining());
    } catch (Throwable ignored) {
      // see report
    }
  }

  @Override
  public void responseBodyEnd() {
    report(Kind.BODY_END, null, 0, 0, 0, null, null);
  }

  @Override
  public void responseBodyClosed() {
    report(Kind.BODY_CLOSED, null, 0, 0, 0, null, null);
  }

  @Override
  public void responseWithoutBody() {
    report(Kind.BODY_END, null, 0, 0, 0, null, null);
  }

  @Override
  public void failed(Throwable error) {
    report(Kind.FAILED, null, 0, 0, 0, null, error);
  }

  long lastActivityNanos() {
    return lastActivityNanos;
  }

  boolean responded() {
    return responded;
  }

  /** Called by the reaper: the application left this exchange idle too long without closing it. */
  void abandonIdle() {
    report(Kind.BODY_CLOSED, null, 0, 0, 0, null, null);
  }

  /** Stamp the event, then process it now or queue it for the worker. */
  private void report(Kind kind, byte[] bytes, int offset, int length, int status, HeaderLookup headers,
      Throwable error) {
    if (ended) return;
    try {
      if (worker.isInline()) {
        long now = System.nanoTime();
        lastActivityNanos = now;
        ExchangeEvent event = event(kind, now, bytes, offset, length, status, headers, error);
        synchronized (this) {
          process(event);
        }
        return;
      }
      if (bytes != null) queueBody(kind, bytes, offset, null, length);
      else queue(kind, null, status, headers, error);
    } catch (Throwable ignored) {
      // the application's call goes on; at worst this exchange's span is incomplete
    }
  }

  private static ExchangeEvent event(Kind kind, long nanos, byte[] bytes, int offset, int length, int status,
      HeaderLookup headers, Throwable error) {
    ExchangeEvent event = new ExchangeEvent(kind, nanos);
    event.bytes = bytes;
    event.offset = offset;
    event.length = length;
    event.status = status;
    event.headers = headers;
    event.error = error;
    return event;
  }

  /** What an event weighs in the worker's backlog besides its bytes (the event object, its exchange's share). */
  static final int EVENT_OVERHEAD = 64;

  /**
   * Stamps and appends an event whose bytes are this exchange's own copy; past the cap the calling thread processes
   * the backlog, else the worker is told (once until it has drained).
   */
  private void queue(Kind kind, byte[] owned, int status, HeaderLookup headers, Throwable error) {
    long now = System.nanoTime();
    lastActivityNanos = now;
    ExchangeEvent event = event(kind, now, owned, 0, owned == null ? 0 : owned.length, status, headers, error);
    int next;
    synchronized (queueLock) {
      if (lastEventQueued) return;
      if (kind.ends()) lastEventQueued = true;
      if (tail == null) head = event;
      else tail.next = event;
      tail = event;
      queuedBytes += event.length;
      next = charge(event.length + EVENT_OVERHEAD);
    }
    then(next);
  }

  /**
   * Copies body bytes (of {@code bytes} from {@code offset}, or of what {@code buffer} has left, untouched) into this
   * exchange's block, appending them to the run of pieces at the queue's tail when it is of the same kind and in the
   * same block: no event and no array per piece (see {@link BodyBlocks}). Each piece weighs {@link #EVENT_OVERHEAD} in
   * the worker's backlog, and each block it takes its whole size.
   */
  private void queueBody(Kind kind, byte[] bytes, int offset, ByteBuffer buffer, int length) {
    long now = System.nanoTime();
    lastActivityNanos = now;
    int need = length + BodyBlocks.PIECE_HEADER;
    int next;
    synchronized (queueLock) {
      if (lastEventQueued) return;
      byte[] b = block;
      // a piece weighs as an event; the bytes are weighed as the blocks they take, whole (that is what waits)
      long weight = EVENT_OVERHEAD;
      if (b == null || b.length - blockUsed < need) {
        b = worker.blocks.take(need);
        block = b;
        blockUsed = 0;
        weight += b.length;
      }
      int at = blockUsed;
      if (buffer != null) {
        BodyBlocks.putHeader(b, at, length, now);
        buffer.duplicate().get(b, at + BodyBlocks.PIECE_HEADER, length);
      } else {
        BodyBlocks.put(b, at, now, bytes, offset, length);
      }
      blockUsed = at + need;
      ExchangeEvent run = tail;
      if (run != null && run.packed && run.kind == kind && run.bytes == b && run.offset + run.length == at) {
        run.length += need;
      } else {
        run = new ExchangeEvent(kind, now);
        run.packed = true;
        run.bytes = b;
        run.offset = at;
        run.length = need;
        if (tail == null) head = run;
        else tail.next = run;
        tail = run;
      }
      queuedBytes += length;
      next = charge(weight);
    }
    then(next);
  }

  /** What a reporter does once it has queued an event: nothing more, tell the worker, or process the backlog itself. */
  private static final int NOTHING = 0, SCHEDULE = 1, DRAIN = 2;

  /**
   * Under {@code queueLock}, once an event is appended: charges its weight to this exchange and the worker's backlog,
   * and says what comes next ({@link #then}). Over this exchange's cap, or over the worker's budget for all exchanges
   * (it is behind), the reporter processes the backlog itself; otherwise the worker is told once until it has drained.
   */
  private int charge(long weight) {
    charged += weight;
    // `|`, not `||`: the worker's backlog is charged every time (drain releases what was charged)
    if (worker.charge(weight) | queuedBytes > maxQueuedBytes) return DRAIN;
    if (scheduled) return NOTHING;
    scheduled = true;
    return SCHEDULE;
  }

  /** Out of {@code queueLock}: does what {@link #charge} said. */
  private void then(int next) {
    if (next == DRAIN) drain();
    else if (next == SCHEDULE) worker.schedule(this);
  }

  /** Every queued event, in order. Called by the worker, or by a reporter over the cap. */
  synchronized void drain() {
    while (true) {
      ExchangeEvent batch;
      long weight;
      synchronized (queueLock) {
        batch = head;
        head = null;
        tail = null;
        queuedBytes = 0;
        // the block goes with the events that point into it: the next piece starts a new one
        block = null;
        blockUsed = 0;
        weight = charged;
        charged = 0;
        if (batch == null) {
          scheduled = false;
          return;
        }
      }
      try {
        for (ExchangeEvent e = batch; e != null; e = e.next) {
          try {
            if (e.packed) processPieces(e);
            else process(e);
          } catch (Throwable t) {
            // that event is lost (an error out of memory, say); the exchange's later events still come through
          }
        }
      } finally {
        worker.release(weight);
        recycle(batch);
      }
    }
  }

  /** Hands each piece of a packed run over as an event of its own, in order. */
  private void processPieces(ExchangeEvent run) {
    byte[] b = run.bytes;
    int at = run.offset;
    int end = run.offset + run.length;
    while (at < end && !ended) {
      int length = BodyBlocks.length(b, at);
      ExchangeEvent piece = new ExchangeEvent(run.kind, BodyBlocks.nanos(b, at));
      piece.bytes = b;
      piece.offset = at + BodyBlocks.PIECE_HEADER;
      piece.length = length;
      process(piece);
      at += BodyBlocks.PIECE_HEADER + length;
    }
  }

  /** The batch's blocks back to the pool: every piece in them was processed (runs of one block are consecutive). */
  private void recycle(ExchangeEvent batch) {
    byte[] last = null;
    for (ExchangeEvent e = batch; e != null; e = e.next) {
      if (e.packed && e.bytes != last) {
        last = e.bytes;
        worker.blocks.give(last);
      }
    }
  }

  private void process(ExchangeEvent event) {
    if (ended) return;
    // the reaper watches exchanges still open after their first event (tracked here, off the application's thread)
    if (!tracked && reaper != null && !event.kind.ends()) {
      tracked = true;
      try {
        reaper.track(this);
      } catch (Throwable t) {
        // not watched: ended by its own events, or at exit
      }
    }
    boolean over;
    try {
      over = handler.handle(event, worker.onWorkerThread()) || event.kind.ends();
    } catch (Throwable t) {
      over = event.kind.ends();
    }
    if (!over) return;
    ended = true;
    if (tracked) reaper.untrack(this);
  }
}
