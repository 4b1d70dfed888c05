package dev.llmotel.exchange;

import dev.llmotel.exchange.ExchangeEvent.Kind;
import java.nio.ByteBuffer;
import java.util.Arrays;
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
  private volatile long lastActivityNanos;

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
      byte[] copy = new byte[buffer.remaining()];
      buffer.duplicate().get(copy);
      queue(Kind.RESPONSE_BODY, copy, 0, null, null);
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
      queue(kind, bytes == null ? null : Arrays.copyOfRange(bytes, offset, offset + length), status, headers, error);
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

  /**
   * Stamps and appends an event whose bytes are this exchange's own copy; past the cap the calling thread processes
   * the backlog, else the worker is told (once until it has drained).
   */
  /** What an event weighs in the worker's backlog besides its bytes (the event object, its exchange's share). */
  static final int EVENT_OVERHEAD = 64;

  private void queue(Kind kind, byte[] owned, int status, HeaderLookup headers, Throwable error) {
    long now = System.nanoTime();
    lastActivityNanos = now;
    ExchangeEvent event = event(kind, now, owned, 0, owned == null ? 0 : owned.length, status, headers, error);
    boolean schedule;
    boolean overCap;
    synchronized (queueLock) {
      if (lastEventQueued) return;
      if (kind.ends()) lastEventQueued = true;
      if (tail == null) head = event;
      else tail.next = event;
      tail = event;
      queuedBytes += event.length;
      long weight = event.length + EVENT_OVERHEAD;
      charged += weight;
      // over this exchange's cap, or over the worker's budget for all exchanges (it is behind): process here
      overCap = worker.charge(weight) | queuedBytes > maxQueuedBytes;
      schedule = !scheduled && !overCap;
      if (schedule) scheduled = true;
    }
    if (overCap) drain();
    else if (schedule) worker.schedule(this);
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
        weight = charged;
        charged = 0;
        if (batch == null) {
          scheduled = false;
          return;
        }
      }
      try {
        for (ExchangeEvent e = batch; e != null; e = e.next) process(e);
      } finally {
        worker.release(weight);
      }
    }
  }

  private void process(ExchangeEvent event) {
    if (ended) return;
    // the reaper watches exchanges still open after their first event (tracked here, off the application's thread)
    if (!tracked && reaper != null && !event.kind.ends()) {
      tracked = true;
      reaper.track(this);
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
