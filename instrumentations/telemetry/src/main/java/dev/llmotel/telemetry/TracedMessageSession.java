package dev.llmotel.telemetry;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.MessageDialectSession;
import dev.llmotel.dialect.TurnSink;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.MessageHandler;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One message session being traced: its span is begun (parent, ids, start) when the upgrade request leaves, on the
 * application's thread, and recorded when the session ends; each turn the dialect reports is a child span of it,
 * recorded (with its metrics) when the turn ends. The session's own span carries no usage (its turns do) and records
 * no duration metric. Called one event at a time (the {@link dev.llmotel.exchange.GuardedMessageSession} serialises).
 */
final class TracedMessageSession implements MessageHandler, TurnSink {
  private final ExchangeRequest request;
  private final CallListener listener;
  /** Turns begun and not yet ended: their span and start. At most as many as the dialect follows at once. */
  private final Map<CallFacts, Object[]> turns = new IdentityHashMap<>();
  private MessageDialectSession session;
  private InferenceTelemetry telemetry;
  private InferenceSpans.Begun begun;
  private long startNanoTime;
  private Map<String, String> propagation = Collections.emptyMap();
  /** Told once the session has ended. */
  private Runnable onEnded;

  TracedMessageSession(ExchangeRequest request, CallListener listener) {
    this.request = request;
    this.listener = listener;
  }

  void start(MessageDialectSession session, InferenceTelemetry telemetry, boolean propagate, Runnable onEnded) {
    this.onEnded = onEnded;
    this.session = session;
    this.telemetry = telemetry;
    this.startNanoTime = System.nanoTime();
    this.begun = telemetry.begin(request, session.facts(), TracedCall.epochNanos());
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
    for (Map.Entry<CallFacts, Object[]> open : turns.entrySet()) record(open.getKey(), open.getValue(), nanos);
    turns.clear();
    try {
      CallRecord record = telemetry.price(request, session.facts(), startNanoTime, nanos);
      telemetry.record(begun, record, 0, false);
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
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
    if (open != null) record(turn, open, nanos);
  }

  private void record(CallFacts turn, Object[] open, long endNanos) {
    CallRecord record = null;
    try {
      record = telemetry.price(request, turn, (Long) open[1], endNanos);
      telemetry.record((InferenceSpans.Begun) open[0], record, 0, true);
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
