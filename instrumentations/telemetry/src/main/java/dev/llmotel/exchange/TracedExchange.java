package dev.llmotel.exchange;

import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.dialect.StreamOutcome;
import dev.llmotel.telemetry.CallListener;
import dev.llmotel.telemetry.CallRecord;
import dev.llmotel.telemetry.InferenceSpans;
import dev.llmotel.telemetry.InferenceTelemetry;
import dev.llmotel.telemetry.Pending;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

/**
 * An {@link Exchange} that feeds a dialect session and ends an inference span exactly once. Every method is guarded:
 * whatever our parsing does, nothing reaches the application.
 *
 * <p>Two halves. The reporting side (the hooks' calls, on the application's threads) stamps each event with the time
 * it happened and hands it to the {@link ExchangeWorker}: processed at once when the worker is inline, otherwise
 * queued (bytes copied, since a client reuses its buffers) for the worker's thread. Queued bytes of one exchange are
 * capped: past the cap the reporting thread processes the backlog itself, so memory stays bounded whatever the body
 * size and however busy the worker. The processing side (dialect, span, metrics, listeners) runs under this object's
 * lock, one event at a time, in the order the events happened.
 */
final class TracedExchange implements Exchange {
  private static final int REQUEST_BODY = 1;
  private static final int REQUEST_END = 2;
  private static final int RESPONSE = 3;
  private static final int RESPONSE_BODY = 4;
  private static final int BODY_END = 5;
  private static final int BODY_CLOSED = 6;
  private static final int FAILED = 7;

  private static final class Event {
    final int kind;
    final long nanos;
    byte[] bytes;
    int status;
    HeaderLookup headers;
    Throwable error;
    Event next;

    Event(int kind, long nanos) {
      this.kind = kind;
      this.nanos = nanos;
    }
  }

  private final DialectSession session;
  private final Pending<InferenceTelemetry> telemetry;
  /** Until then the worker's thread may wait for {@link #telemetry} to be built; after it, a call goes untraced. */
  private final long telemetryDeadlineNanos;
  private final InferenceSpans.Begun begun;
  private final long startNanoTime;
  private final Map<String, String> propagation;
  private final ExchangeRequest request;
  private final CallListener listener;
  private final IdleExchangeReaper reaper;
  private final ExchangeWorker worker;
  private final int maxQueuedBytes;

  // reporting side, guarded by queueLock
  private final Object queueLock = new Object();
  private Event head;
  private Event tail;
  private int queuedBytes;
  private boolean scheduled;
  private boolean lastEventQueued;
  private volatile long lastActivityNanos;

  // processing side, guarded by this
  private volatile boolean ended;
  private boolean tracked;

  TracedExchange(ExchangeRequest request, DialectSession session, InferenceTelemetry telemetry,
      CallListener listener) {
    this(request, session, Pending.of(telemetry), 0, listener, null, ExchangeWorker.inline(), 0);
  }

  /**
   * @param telemetry when not built yet, the span is begun for the SDK's default sampler (the caller knows it is the
   *     one configured) and recorded when the worker finishes the call, if telemetry is ready by then or by
   *     {@code telemetryDeadlineNanos}
   */
  TracedExchange(ExchangeRequest request, DialectSession session, Pending<InferenceTelemetry> telemetry,
      long telemetryDeadlineNanos, CallListener listener, IdleExchangeReaper reaper, ExchangeWorker worker,
      int maxQueuedBytes) {
    this.reaper = reaper;
    this.request = request;
    this.session = session;
    this.telemetry = telemetry;
    this.telemetryDeadlineNanos = telemetryDeadlineNanos;
    this.listener = listener;
    this.worker = worker;
    this.maxQueuedBytes = maxQueuedBytes;
    // one origin for the span's start, its end and the time to first chunk, whenever they are computed
    this.startNanoTime = System.nanoTime();
    InferenceTelemetry ready = telemetry.get(0);
    this.begun = ready != null ? ready.begin(request, session.facts(), epochNanos())
        : InferenceSpans.beginWithDefaultSampler(epochNanos());
    this.lastActivityNanos = startNanoTime;
    this.propagation = Collections.singletonMap("traceparent", begun.traceparent());
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public Map<String, String> propagationHeaders() {
    return propagation;
  }

  @Override
  public void requestBody(byte[] bytes, int offset, int length) {
    if (length > 0) report(REQUEST_BODY, bytes, offset, length, 0, null, null);
  }

  @Override
  public void requestBodyEnd() {
    report(REQUEST_END, null, 0, 0, 0, null, null);
  }

  @Override
  public void response(int statusCode, HeaderLookup headers) {
    report(RESPONSE, null, 0, 0, statusCode, headers, null);
  }

  @Override
  public void responseBody(byte[] bytes, int offset, int length) {
    if (length > 0) report(RESPONSE_BODY, bytes, offset, length, 0, null, null);
  }

  @Override
  public void responseBodyEnd() {
    report(BODY_END, null, 0, 0, 0, null, null);
  }

  @Override
  public void responseBodyClosed() {
    report(BODY_CLOSED, null, 0, 0, 0, null, null);
  }

  @Override
  public void responseWithoutBody() {
    report(BODY_END, null, 0, 0, 0, null, null);
  }

  @Override
  public void failed(Throwable error) {
    report(FAILED, null, 0, 0, 0, null, error);
  }

  long lastActivityNanos() {
    return lastActivityNanos;
  }

  /** Called by the reaper: the application left this exchange idle too long without closing it. */
  void abandonIdle() {
    report(BODY_CLOSED, null, 0, 0, 0, null, null);
  }

  /** The reporting side: stamp the event, then process it now or queue it for the worker. */
  private void report(int kind, byte[] bytes, int offset, int length, int status, HeaderLookup headers,
      Throwable error) {
    if (ended) return;
    try {
      if (worker.isInline()) {
        long now = System.nanoTime();
        lastActivityNanos = now;
        synchronized (this) {
          process(kind, now, bytes, offset, length, status, headers, error);
        }
        return;
      }
      queue(kind, bytes == null ? null : Arrays.copyOfRange(bytes, offset, offset + length), status, headers, error);
    } catch (Throwable ignored) {
      // the application's call goes on; at worst this exchange's span is incomplete
    }
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
      queue(RESPONSE_BODY, copy, 0, null, null);
    } catch (Throwable ignored) {
      // see report
    }
  }

  /**
   * Stamps and appends an event whose bytes are this exchange's own copy; past the cap the calling thread processes
   * the backlog, else the worker is told (once until it has drained).
   */
  private void queue(int kind, byte[] owned, int status, HeaderLookup headers, Throwable error) {
    long now = System.nanoTime();
    lastActivityNanos = now;
    Event event = new Event(kind, now);
    event.bytes = owned;
    event.status = status;
    event.headers = headers;
    event.error = error;
    boolean schedule;
    boolean overCap;
    synchronized (queueLock) {
      if (lastEventQueued) return;
      if (kind >= BODY_END) lastEventQueued = true;
      if (tail == null) head = event;
      else tail.next = event;
      tail = event;
      queuedBytes += owned == null ? 0 : owned.length;
      overCap = queuedBytes > maxQueuedBytes;
      schedule = !scheduled && !overCap;
      if (schedule) scheduled = true;
    }
    if (overCap) drain();
    else if (schedule) worker.schedule(this);
  }

  /** The processing side: every queued event, in order. Called by the worker, or by a reporter over the cap. */
  synchronized void drain() {
    while (true) {
      Event batch;
      synchronized (queueLock) {
        batch = head;
        head = null;
        tail = null;
        queuedBytes = 0;
        if (batch == null) {
          scheduled = false;
          return;
        }
      }
      for (Event e = batch; e != null; e = e.next) {
        byte[] b = e.bytes;
        process(e.kind, e.nanos, b, 0, b == null ? 0 : b.length, e.status, e.headers, e.error);
      }
    }
  }

  private void process(int kind, long nanos, byte[] bytes, int offset, int length, int status, HeaderLookup headers,
      Throwable error) {
    if (ended) return;
    // the reaper watches exchanges still open after their first event (tracked here, off the application's thread)
    if (!tracked && reaper != null && kind < BODY_END) {
      tracked = true;
      reaper.track(this);
    }
    GenAiFacts facts = session.facts();
    facts.setBytesArrivedNanos(nanos);
    try {
      switch (kind) {
        case REQUEST_BODY:
          session.onRequestBody(bytes, offset, length);
          break;
        case REQUEST_END:
          session.onRequestBodyEnd();
          break;
        case RESPONSE:
          facts.httpStatus = status;
          facts.costUsd = ProxyHeaders.reportedCost(headers);
          session.onResponse(status, headers);
          break;
        case RESPONSE_BODY:
          session.onResponseBody(bytes, offset, length);
          break;
        case BODY_END:
        case BODY_CLOSED:
          session.onResponseEnd(kind == BODY_END);
          break;
        case FAILED:
          if (facts.errorType == null) {
            facts.errorType = error.getClass().getName();
            facts.errorMessage = error.getMessage();
          }
          if (facts.stream && facts.streamOutcome != StreamOutcome.COMPLETED) {
            facts.streamOutcome = StreamOutcome.FAILED;
          }
          break;
        default:
          break;
      }
    } catch (Throwable ignored) {
      // a dialect failure degrades the span, never the call
    } finally {
      facts.setBytesArrivedNanos(0);
    }
    // A stream whose end marker arrived is over for the application, whether or not it ever reads to EOF or closes.
    if (kind == RESPONSE_BODY && facts.streamOutcome == StreamOutcome.COMPLETED) {
      try {
        session.onResponseEnd(true);
      } catch (Throwable ignored) {
        // see above
      }
      finish(nanos);
    } else if (kind >= BODY_END) {
      finish(nanos);
    }
  }

  private void finish(long endNanoTime) {
    ended = true;
    if (tracked) reaper.untrack(this);
    GenAiFacts facts = session.facts();
    try {
      // only the worker's own thread waits for telemetry still being built, never an application thread
      long waitNanos = worker.onWorkerThread() ? telemetryDeadlineNanos - System.nanoTime() : 0;
      InferenceTelemetry ready = telemetry.get(Math.max(0, waitNanos / 1_000_000));
      if (ready != null) ready.finish(begun, request, facts, startNanoTime, endNanoTime);
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
    if (listener != null) {
      try {
        listener.onCall(new CallRecord(facts, request.host(), endNanoTime - startNanoTime,
            facts.timeToFirstChunkNanos(startNanoTime)));
      } catch (Throwable ignored) {
        // see above
      }
    }
  }
}
