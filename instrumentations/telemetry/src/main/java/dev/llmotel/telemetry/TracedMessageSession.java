package dev.llmotel.telemetry;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.MessageDialectSession;
import dev.llmotel.dialect.TurnSink;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.MessageHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One message session being traced: its span is begun (parent, ids, start) when the upgrade request leaves, on the
 * application's thread, and recorded when the session ends; each turn the dialect reports is a child span of it,
 * recorded (with its metrics) when the turn ends. The session's own span carries no usage (its turns do) and records
 * no duration metric. Called one event at a time (the {@link dev.llmotel.exchange.GuardedMessageSession} serialises,
 * under a lock the application's sends may wait for): under it a turn or the session that ends is only noted; it is
 * priced, recorded and told to the listener by {@link #deferred()}'s work, after the lock is released. A session
 * begun while the agent's SDK is still starting (default sampler only) gets its ids at once; what ends before the SDK
 * is up is recorded once it is, on the thread that brings it up (bounded as for calls, {@link
 * TracedCall#MAX_WAITING_FOR_TELEMETRY}).
 */
final class TracedMessageSession implements MessageHandler, TurnSink {
  private final ExchangeRequest request;
  private final CallListener listener;
  /** Turns begun and not yet ended: their span and start. At most as many as the dialect follows at once. */
  private final Map<CallFacts, Object[]> turns = new IdentityHashMap<>();
  private MessageDialectSession session;
  private Pending<InferenceTelemetry> telemetry;
  private InferenceSpans.Begun begun;
  private long startNanoTime;
  private Map<String, String> propagation = Collections.emptyMap();
  /** Told once the session has ended. */
  private Runnable onEnded;
  /** What ended since the last {@link #deferred()}: turns ({@link CallFacts}, span, start, end), then the session. */
  private ArrayList<Object[]> endedSince;
  private boolean sessionEnded;
  private long sessionEndNanos;

  TracedMessageSession(ExchangeRequest request, CallListener listener) {
    this.request = request;
    this.listener = listener;
  }

  /** @param ready the telemetry if it is up, else null: the session begins as the default sampler would */
  void start(MessageDialectSession session, Pending<InferenceTelemetry> telemetry, InferenceTelemetry ready,
      boolean propagate, Runnable onEnded) {
    this.onEnded = onEnded;
    this.session = session;
    this.telemetry = telemetry;
    this.startNanoTime = System.nanoTime();
    long epoch = TracedCall.epochNanos();
    this.begun = ready != null ? ready.begin(request, session.facts(), epoch)
        : InferenceSpans.beginWithDefaultSampler(epoch);
    if (propagate) this.propagation = Collections.singletonMap("traceparent", begun.traceparent());
  }

  @Override
  public Map<String, String> propagationHeaders() {
    return propagation;
  }

  @Override
  public void opened(long nanos, int statusCode, HeaderLookup headers) {
    session.onOpen(nanos, statusCode, headers);
  }

  @Override
  public void text(long nanos, boolean sent, CharSequence message, boolean cut) {
    session.onText(nanos, sent, message, cut);
  }

  @Override
  public int maxMessageChars(boolean sent, CharSequence start) {
    return session.maxMessageChars(sent, start);
  }

  @Override
  public void binary(long nanos, boolean sent, long length) {
    session.onBinary(nanos, sent, length);
  }

  @Override
  public void ended(long nanos, int code, String reason, Throwable error) {
    try {
      onEnded.run();
    } catch (Throwable ignored) {
      // see below
    }
    try {
      session.onEnd(nanos, code, reason, error);
    } catch (Throwable ignored) {
      // the session's span is recorded with what is known
    }
    for (Map.Entry<CallFacts, Object[]> open : turns.entrySet()) defer(open.getKey(), open.getValue(), nanos);
    turns.clear();
    sessionEnded = true;
    sessionEndNanos = nanos;
  }

  @Override
  public void begun(CallFacts turn, long nanos) {
    if (begun == null) return;
    long epoch = begun.startEpochNanos + (nanos - startNanoTime);
    turns.put(turn, new Object[] {InferenceSpans.beginChild(begun, epoch), nanos});
  }

  @Override
  public void ended(CallFacts turn, long nanos) {
    Object[] open = turns.remove(turn);
    if (open != null) defer(turn, open, nanos);
  }

  private void defer(CallFacts turn, Object[] open, long endNanos) {
    if (endedSince == null) endedSince = new ArrayList<>(2);
    endedSince.add(new Object[] {turn, open[0], open[1], endNanos});
  }

  /**
   * The turns that ended since the last call, and the session if it ended: recorded by the returned work, which
   * the guarded session runs after releasing its lock. Ended turns are no longer touched by the dialect, and the
   * session's facts are not once it has ended.
   */
  @Override
  public Runnable deferred() {
    if (endedSince == null && !sessionEnded) return null;
    final ArrayList<Object[]> ended = endedSince;
    final boolean session = sessionEnded;
    final long endNanos = sessionEndNanos;
    endedSince = null;
    sessionEnded = false;
    final Pending<InferenceTelemetry> pending = telemetry;
    // as a call's span: recorded now if the telemetry is up, else by the thread that brings it up (bounded)
    return () -> pending.whenDoneOrNow(ready -> {
      if (ready == null) return;
      if (ended != null) {
        for (Object[] t : ended) record(ready, (CallFacts) t[0], (InferenceSpans.Begun) t[1], (Long) t[2], (Long) t[3]);
      }
      if (session) recordSession(ready, endNanos);
    }, TracedCall.MAX_WAITING_FOR_TELEMETRY, 0);
  }

  private void recordSession(InferenceTelemetry telemetry, long endNanos) {
    try {
      CallRecord record = telemetry.price(request, this.session.facts(), startNanoTime, endNanos);
      telemetry.record(begun, record, 0, false);
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
  }

  private void record(InferenceTelemetry telemetry, CallFacts turn, InferenceSpans.Begun span, long startNanos,
      long endNanos) {
    CallRecord record = null;
    try {
      record = telemetry.price(request, turn, startNanos, endNanos);
      telemetry.record(span, record, 0, true);
    } catch (Throwable ignored) {
      // see above
    }
    if (listener == null || record == null) return;
    try {
      listener.onCall(record);
    } catch (Throwable ignored) {
      // see above
    }
  }
}
