package dev.llmotel.telemetry;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.ContinuationFacts;
import dev.llmotel.dialect.DialectCall;
import dev.llmotel.exchange.ExchangeEvent;
import dev.llmotel.exchange.ExchangeHandler;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.LogicalCall;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One LLM call being traced: the exchange's events drive the dialect ({@link DialectCall}), and when the call is
 * over its span, metrics and listeners are recorded exactly once. The span's parent, ids and sampling are fixed at
 * construction, on the application's thread, when the request leaves.
 */
final class TracedCall implements ExchangeHandler {
  /**
   * How many calls that end while the telemetry is still being built may wait for it, recorded as soon as it is up
   * (however late); past that, a call waits on the worker's thread until the start-up deadline, then goes untraced.
   */
  static final int MAX_WAITING_FOR_TELEMETRY = 256;

  /** Reduced to its request line once the call waits for its continuation ({@link #detach()}). */
  private volatile ExchangeRequest request;
  /** The dialect's view of the exchange; null once the call waits for its continuation. */
  private volatile DialectCall call;
  private final CallFacts facts;
  private final Pending<InferenceTelemetry> telemetry;
  /** Until then the worker's thread may wait for {@link #telemetry} to be built; after it, a call goes untraced. */
  private final long telemetryDeadlineNanos;
  private final CallListener listener;
  private final InferenceSpans.Begun begun;
  private final long startNanoTime;
  private final Map<String, String> propagation;
  /** The logical call this is one attempt of (its span waits for the call to settle), or null. */
  private final LogicalCallTelemetry logical;
  /** The open calls, when this exchange opens or continues a call that spans several exchanges; else null. */
  private final ContinuedCalls continued;
  private long endNanoTime;

  /**
   * @param telemetry when not built yet, the span is begun for the SDK's default sampler (the caller knows it is the
   *     one configured) and recorded when the call ends, if telemetry is ready by then or, on the worker's thread,
   *     by {@code telemetryDeadlineNanos}
   * @param listener told of the finished call, or null
   * @param propagate whether the request gets the span's {@code traceparent}
   */
  TracedCall(ExchangeRequest request, DialectCall call, Pending<InferenceTelemetry> telemetry,
      long telemetryDeadlineNanos, CallListener listener, boolean propagate) {
    this(request, call, telemetry, telemetryDeadlineNanos, listener, propagate, null);
  }

  /**
   * @param continued the open calls that span several exchanges: when the dialect says this exchange opens or
   *     continues one, it is recorded there (as the call's span, or into it) rather than as a span of its own
   */
  TracedCall(ExchangeRequest request, DialectCall call, Pending<InferenceTelemetry> telemetry,
      long telemetryDeadlineNanos, CallListener listener, boolean propagate, ContinuedCalls continued) {
    this.request = request;
    this.call = call;
    this.facts = call.facts();
    this.telemetry = telemetry;
    this.telemetryDeadlineNanos = telemetryDeadlineNanos;
    this.listener = listener;
    // one origin for the span's start, its end and the time to first chunk, whenever they are computed
    this.startNanoTime = System.nanoTime();
    ContinuationFacts continuation = call.facts().continuation;
    this.continued = continuation.role() == ContinuationFacts.Role.NONE ? null : continued;
    // a continuing exchange carries the context of the call it continues (it records no span of its own)
    InferenceSpans.Begun callSpan = this.continued != null && continuation.role() == ContinuationFacts.Role.CONTINUES
        ? this.continued.began(this, continuation.key(), startNanoTime) : null;
    this.logical = this.continued != null ? null : LogicalCallTelemetry.attemptOf(LogicalCall.current(), this);
    this.begun = callSpan != null ? callSpan
        : logical != null ? logical.beginAttempt(request, call.facts(), telemetry)
        : begin(request, call.facts(), telemetry);
    this.propagation = !propagate ? Collections.<String, String>emptyMap()
        : this.continued != null && continuation.role() == ContinuationFacts.Role.CONTINUES && callSpan == null
            ? continuingHeaders(begun)
            : Collections.singletonMap("traceparent", begun.traceparent());
  }

  /**
   * The headers of an exchange continuing a call not known (yet) here: it records no span, so it carries its parent's
   * context (the application's span), or none, never an id no span will have.
   */
  private static Map<String, String> continuingHeaders(InferenceSpans.Begun begun) {
    String parent = begun.parentTraceparent();
    return parent == null ? Collections.<String, String>emptyMap() : Collections.singletonMap("traceparent", parent);
  }

  /** Fixes a span's parent, ids and start, now, on the application's thread. */
  static InferenceSpans.Begun begin(ExchangeRequest request, CallFacts facts, Pending<InferenceTelemetry> telemetry) {
    InferenceTelemetry ready = telemetry.get(0);
    return ready != null ? ready.begin(request, facts, epochNanos())
        : InferenceSpans.beginWithDefaultSampler(epochNanos());
  }

  static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public Map<String, String> propagationHeaders() {
    return propagation;
  }

  @Override
  public boolean handle(ExchangeEvent event, boolean onWorkerThread) {
    DialectCall call = this.call;
    if (call == null) return true;
    switch (event.kind) {
      case REQUEST_BODY:
        call.requestBody(event.nanos, event.bytes(), event.offset(), event.length());
        return false;
      case REQUEST_END:
        call.requestBodyEnd();
        return false;
      case RESPONSE:
        call.response(event.status(), event.headers());
        return false;
      case RESPONSE_BODY:
        if (!call.responseBody(event.nanos, event.bytes(), event.offset(), event.length())) return false;
        break;
      case BODY_END:
      case BODY_CLOSED:
        call.responseEnd(event.kind == ExchangeEvent.Kind.BODY_END);
        break;
      case FAILED:
        call.failed(event.error());
        break;
      default:
        return false;
    }
    finish(event.nanos, onWorkerThread);
    return true;
  }

  private void finish(long endNanoTime, boolean onWorkerThread) {
    this.endNanoTime = endNanoTime;
    if (continued != null) {
      if (facts.continuation.role() == ContinuationFacts.Role.CONTINUES) {
        continued.continued(this, endNanoTime, onWorkerThread);
        return;
      }
      if (continued.opened(this, endNanoTime)) {
        detach();
        return;
      }
    }
    if (logical != null) {
      logical.attemptFinished(this, onWorkerThread);
      return;
    }
    recordWhenReady(onWorkerThread);
  }

  /**
   * {@link #record} with the telemetry: directly when it is built (or failed), as it is for all but the first calls;
   * else through {@link #withTelemetry}. The direct path keeps two frames (a lambda and its body) off every call: the
   * JIT compiled each of them once more with the whole recording inlined (BENCHMARKS.md, "JIT work at 5 ms").
   */
  private void recordWhenReady(boolean onWorkerThread) {
    if (telemetry.isDone()) record(telemetry.peek(), begun, 0, true);
    else withTelemetry(onWorkerThread, ready -> record(ready, begun, 0, true));
  }

  /**
   * The exchange is over and its call waits, open, for the exchanges that continue it (up to the idle limit): it keeps
   * its facts and request line only, not the dialect's readers nor the application's request and headers.
   */
  private void detach() {
    ExchangeRequest r = request;
    request = new ExchangeRequest(r.method(), r.scheme(), r.host(), r.port(), r.path(), r.query(), null);
    call = null;
  }

  /** Records the call this exchange opened, continued by later exchanges, as ending at {@code endNanoTime}. */
  void recordContinued(long endNanoTime, boolean onWorkerThread) {
    this.endNanoTime = endNanoTime;
    recordWhenReady(onWorkerThread);
  }

  /**
   * Runs {@code action} with the telemetry, or null when it failed to start: now when it is built; else, without
   * waiting, on the thread that builds it once it is (at most {@link #MAX_WAITING_FOR_TELEMETRY} calls wait so; past
   * that, now, after waiting for it as {@link #telemetryWaitMillis} says).
   */
  void withTelemetry(boolean onWorkerThread, Consumer<InferenceTelemetry> action) {
    telemetry.whenDoneOrNow(action, MAX_WAITING_FOR_TELEMETRY, telemetryWaitMillis(onWorkerThread));
  }

  /** How long to wait for the telemetry: only on the worker's own thread, never on an application thread. */
  private long telemetryWaitMillis(boolean onWorkerThread) {
    long waitNanos = onWorkerThread ? telemetryDeadlineNanos - System.nanoTime() : 0;
    return Math.max(0, waitNanos / 1_000_000);
  }

  /**
   * Records this finished call (span, metrics, listener) under {@code begun}: its own, or the same span re-parented by
   * its logical call.
   *
   * @return the priced call, or null when telemetry is not ready
   */
  CallRecord record(InferenceTelemetry ready, InferenceSpans.Begun begun, int resendCount, boolean withDuration) {
    ExchangeRequest request = this.request;
    CallRecord record = null;
    try {
      if (ready != null) {
        record = ready.price(request, facts, startNanoTime, endNanoTime);
        ready.record(begun, record, resendCount, withDuration);
      }
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
    // listeners (console lines, the usage summary) are told of LLM calls only, not of plain client spans
    if (listener == null || !InferenceSpans.isGenAi(facts)) return record;
    try {
      listener.onCall(record != null ? record
          : new CallRecord(facts, request.host(), request.port(), startNanoTime, endNanoTime, null));
    } catch (Throwable ignored) {
      // see above
    }
    return record;
  }

  ExchangeRequest request() {
    return request;
  }

  CallFacts facts() {
    return facts;
  }

  Pending<InferenceTelemetry> telemetry() {
    return telemetry;
  }

  InferenceSpans.Begun begun() {
    return begun;
  }

  long startNanoTime() {
    return startNanoTime;
  }

  long endNanoTime() {
    return endNanoTime;
  }
}
