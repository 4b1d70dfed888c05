package dev.llmotel.telemetry;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.LogicalCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * The telemetry of one {@link LogicalCall}: the call as the application sees it, above its library's retries. Its
 * attempts (the exchanges begun inside it) are held until the call settles (its retry loop is over and every attempt
 * has ended), then recorded by one rule:
 *
 * <ul>
 *   <li>one attempt: recorded as if there were no logical call (one span, under the application's span);
 *   <li>several: one span for the logical call ({@code {operation} {model}}, the final attempt's outcome, the whole
 *       duration, {@code llmotel.retry.count}, no usage: {@code llmotel.usage.on_child_span=true}) with one child
 *       span per attempt ({@code http.request.resend_count} from the second on); each attempt's tokens and cost are
 *       counted once, by its own metrics (only a successful one has any); {@code gen_ai.client.operation.duration}
 *       is recorded once, for the logical call.
 * </ul>
 *
 * Every attempt's {@code traceparent} names its own span id, whichever rule applies. The first attempt begins as a
 * call of its own would (its parent, trace and sampling are the logical call's); the logical call's span ids are made
 * only when a second attempt begins (the first attempt's trace, parent and start, a fresh span id), so a call that
 * needs one attempt (nearly all) costs the application's thread no second span. Attempts past {@value #MAX_ATTEMPTS}
 * are traced as calls of their own.
 */
final class LogicalCallTelemetry implements LogicalCall.ExitListener {
  static final int MAX_ATTEMPTS = 32;

  private final TracedCall first;
  /** The first attempt's span: guarded by this; set when it begins. */
  private InferenceSpans.Begun firstBegun;
  /** The logical call's span: guarded by this; null until a second attempt begins (then fixed). */
  private InferenceSpans.Begun begun;
  private final long startNanoTime;
  /** Guarded by this. */
  private final List<TracedCall> finished = new ArrayList<>(2);
  private int attempts;
  private int open;
  private boolean exited;
  private Throwable thrown;
  private long exitNanoTime;
  private boolean settled;

  private LogicalCallTelemetry(TracedCall first) {
    this.first = first;
    this.startNanoTime = System.nanoTime();
  }

  /**
   * The logical call's telemetry for an attempt about to begin on the application's thread, or null when it is
   * traced on its own (no logical call, or too many attempts).
   */
  static LogicalCallTelemetry attemptOf(LogicalCall scope, TracedCall attempt) {
    if (scope == null || scope.exited()) return null;
    Object state = scope.state();
    if (state instanceof LogicalCallTelemetry) {
      LogicalCallTelemetry t = (LogicalCallTelemetry) state;
      synchronized (t) {
        return t.attempts < MAX_ATTEMPTS && !t.settled ? t : null;
      }
    }
    LogicalCallTelemetry t = new LogicalCallTelemetry(attempt);
    scope.attach(t, t);
    return t;
  }

  /**
   * The span of an attempt that begins now: the first attempt's is begun as a call of its own would be; a later
   * attempt's is a child of the logical call's span, whose ids are made with the second attempt (the first attempt's
   * trace, parent, sampling and start).
   */
  synchronized InferenceSpans.Begun beginAttempt(ExchangeRequest request, CallFacts facts,
      Pending<InferenceTelemetry> telemetry) {
    attempts++;
    open++;
    if (firstBegun == null) {
      firstBegun = TracedCall.begin(request, facts, telemetry);
      return firstBegun;
    }
    if (begun == null) begun = InferenceSpans.logicalOf(firstBegun);
    return InferenceSpans.beginChild(begun, TracedCall.epochNanos());
  }

  void attemptFinished(TracedCall attempt, boolean onWorkerThread) {
    synchronized (this) {
      finished.add(attempt);
      open--;
      if (!readyToSettle()) return;
    }
    settle(onWorkerThread);
  }

  @Override
  public void exited(LogicalCall call, Throwable thrown) {
    synchronized (this) {
      this.exited = true;
      this.thrown = thrown;
      this.exitNanoTime = System.nanoTime();
      if (!readyToSettle()) return;
    }
    settle(false);
  }

  /** Guarded by this: marks the call settled when its loop is over and no attempt is still running. */
  private boolean readyToSettle() {
    if (settled || !exited || open > 0) return false;
    settled = true;
    return true;
  }

  private void settle(boolean onWorkerThread) {
    try {
      List<TracedCall> done;
      synchronized (this) {
        done = new ArrayList<>(finished);
        finished.clear();
      }
      if (done.isEmpty()) return;
      done.sort((a, b) -> Long.compare(a.startNanoTime(), b.startNanoTime()));
      first.withTelemetry(onWorkerThread, ready -> settle(done, ready));
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
  }

  private void settle(List<TracedCall> done, InferenceTelemetry ready) {
    try {
      InferenceSpans.Begun begun;
      synchronized (this) {
        begun = this.begun;
      }
      if (done.size() == 1) {
        // one attempt: its span is as it began (a call of its own)
        TracedCall only = done.get(0);
        only.record(ready, begun == null ? only.begun() : only.begun().withParentOf(begun), 0, true);
        return;
      }
      // made by the second attempt's begin; should it be missing, the first attempt's trace and parent hold
      if (begun == null) begun = InferenceSpans.logicalOf(done.get(0).begun());
      TracedCall last = done.get(done.size() - 1);
      String host = last.request().host();
      int port = last.request().port();
      // the logical span is started first, so that its attempts name its real context whichever SDK records them
      Span span = ready == null ? null : ready.startLogical(begun, last.facts(), host, port, done.size());
      Context parent = span == null ? null : Context.root().with(span);
      long duration = exitNanoTime - startNanoTime;
      for (int i = 0; i < done.size(); i++) {
        TracedCall attempt = done.get(i);
        attempt.record(ready, parent == null ? attempt.begun() : attempt.begun().withParent(parent), i, false);
        // on the epoch clock the spans are drawn with: the logical span covers each attempt's
        duration = Math.max(duration, attempt.begun().startEpochNanos
            + (attempt.endNanoTime() - attempt.startNanoTime()) - begun.startEpochNanos);
      }
      if (span == null) return;
      String errorType = last.facts().response.errorType;
      String errorMessage = last.facts().response.errorMessage;
      if (errorType == null && thrown != null) {
        errorType = thrown.getClass().getName();
        errorMessage = thrown.getMessage();
      }
      ready.endLogical(span, begun, last.facts(), host, port, duration, errorType, errorMessage);
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
  }
}
