package dev.llmotel.exchange;

import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.dialect.StreamOutcome;
import dev.llmotel.telemetry.CallListener;
import dev.llmotel.telemetry.CallRecord;
import dev.llmotel.telemetry.InferenceTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Collections;
import java.util.Map;

/**
 * An {@link Exchange} that feeds a dialect session and ends an inference span exactly once. Every method is guarded:
 * whatever our parsing does, nothing reaches the application. Synchronized because an application may close a
 * stream on one thread while another reads it; the lock is uncontended in the usual case.
 */
final class TracedExchange implements Exchange {
  private final DialectSession session;
  private final InferenceTelemetry telemetry;
  private final Span span;
  private final long startNanoTime;
  private final Map<String, String> propagation;
  private final ExchangeRequest request;
  private final CallListener listener;
  private final IdleExchangeReaper reaper;
  private volatile long lastActivityNanos;
  private boolean ended;

  TracedExchange(ExchangeRequest request, DialectSession session, InferenceTelemetry telemetry,
      CallListener listener) {
    this(request, session, telemetry, listener, null);
  }

  TracedExchange(ExchangeRequest request, DialectSession session, InferenceTelemetry telemetry,
      CallListener listener, IdleExchangeReaper reaper) {
    this.reaper = reaper;
    this.request = request;
    this.session = session;
    this.telemetry = telemetry;
    this.listener = listener;
    this.span = telemetry.start(request, session.facts());
    // after the span's own start (its first creation may load classes): time to first chunk and the span's duration
    // share one origin, so the first can never exceed the second
    this.startNanoTime = System.nanoTime();
    this.lastActivityNanos = startNanoTime;
    if (reaper != null) reaper.track(this);
    this.propagation = traceparent(span.getSpanContext());
  }

  private static Map<String, String> traceparent(SpanContext sc) {
    if (!sc.isValid()) return Collections.emptyMap();
    return Collections.singletonMap("traceparent",
        "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex());
  }

  @Override
  public Map<String, String> propagationHeaders() {
    return propagation;
  }

  @Override
  public synchronized void requestBody(byte[] bytes, int offset, int length) {
    if (ended) return;
    lastActivityNanos = System.nanoTime();
    try {
      session.onRequestBody(bytes, offset, length);
    } catch (Throwable ignored) {
      // a dialect failure degrades the span, never the call
    }
  }

  @Override
  public synchronized void requestBodyEnd() {
    if (ended) return;
    lastActivityNanos = System.nanoTime();
    try {
      session.onRequestBodyEnd();
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  @Override
  public synchronized void response(int statusCode, HeaderLookup headers) {
    if (ended) return;
    lastActivityNanos = System.nanoTime();
    try {
      GenAiFacts facts = session.facts();
      facts.httpStatus = statusCode;
      facts.costUsd = ProxyHeaders.reportedCost(headers);
      session.onResponse(statusCode, headers);
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  @Override
  public synchronized void responseBody(byte[] bytes, int offset, int length) {
    if (ended) return;
    lastActivityNanos = System.nanoTime();
    try {
      session.onResponseBody(bytes, offset, length);
    } catch (Throwable ignored) {
      // see requestBody
    }
    // A stream whose end marker arrived is over for the application, whether or not it ever reads to EOF or closes.
    if (session.facts().streamOutcome == StreamOutcome.COMPLETED) endBody(true);
  }

  @Override
  public synchronized void responseBodyEnd() {
    endBody(true);
  }

  @Override
  public synchronized void responseBodyClosed() {
    endBody(false);
  }

  @Override
  public synchronized void responseWithoutBody() {
    endBody(true);
  }

  private void endBody(boolean complete) {
    if (ended) return;
    try {
      session.onResponseEnd(complete);
    } catch (Throwable ignored) {
      // see requestBody
    }
    finish();
  }

  @Override
  public synchronized void failed(Throwable error) {
    if (ended) return;
    try {
      GenAiFacts facts = session.facts();
      if (facts.errorType == null) {
        facts.errorType = error.getClass().getName();
        facts.errorMessage = error.getMessage();
      }
      if (facts.stream && facts.streamOutcome != StreamOutcome.COMPLETED) facts.streamOutcome = StreamOutcome.FAILED;
    } catch (Throwable ignored) {
      // see requestBody
    }
    finish();
  }

  long lastActivityNanos() {
    return lastActivityNanos;
  }

  /** Called by the reaper: the application left this exchange idle too long without closing it. */
  synchronized void abandonIdle() {
    endBody(false);
  }

  private void finish() {
    ended = true;
    if (reaper != null) reaper.untrack(this);
    GenAiFacts facts = session.facts();
    try {
      telemetry.finish(span, request, facts, startNanoTime);
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
    if (listener != null) {
      try {
        listener.onCall(new CallRecord(facts, request.host(), System.nanoTime() - startNanoTime,
            facts.timeToFirstChunkNanos(startNanoTime)));
      } catch (Throwable ignored) {
        // see above
      }
    }
  }
}
