package dev.llmotel.exchange;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.telemetry.CallListener;
import dev.llmotel.telemetry.InferenceSpans;
import dev.llmotel.telemetry.InferenceTelemetry;
import dev.llmotel.telemetry.Pending;
import java.util.ArrayList;
import java.util.List;

/** Asks each dialect in turn whether it speaks the request; the first that does gets a traced exchange. */
public final class DialectExchangeFactory implements ExchangeFactory {
  private final Dialect[] dialects;
  private final DialectContext context;
  private final Pending<InferenceTelemetry> telemetry;
  private final long startupWaitMillis;
  private final CallListener listener;
  private final IdleExchangeReaper reaper;
  private final ExchangeWorker worker;
  private final int maxQueuedBytes;
  private final boolean beginsBeforeTelemetry;
  private final long telemetryDeadlineNanos;

  public DialectExchangeFactory(List<Dialect> dialects, DialectContext context, InferenceSpans spans) {
    this(dialects, context, Pending.of(new InferenceTelemetry(spans, null, null)), 0, null, 0,
        ExchangeWorker.inline(), 0);
  }

  /**
   * @param telemetry spans, metrics and cost, possibly still being built when the first requests arrive
   * @param startupWaitMillis how long an LLM request may wait for {@code telemetry} during start-up before going
   *     untraced
   * @param listener told of every finished call (console lines, usage summary), or null
   * @param idleTimeoutMillis an exchange idle this long (no byte, no event) is ended as abandoned; 0: never
   * @param worker where events are parsed and spans finished
   * @param maxQueuedBytes bytes of one exchange that may wait for a background worker; beyond, the reporting thread
   *     processes them itself
   */
  public DialectExchangeFactory(List<Dialect> dialects, DialectContext context, Pending<InferenceTelemetry> telemetry,
      long startupWaitMillis, CallListener listener, long idleTimeoutMillis, ExchangeWorker worker,
      int maxQueuedBytes) {
    this(dialects, context, telemetry, startupWaitMillis, listener, idleTimeoutMillis, worker, maxQueuedBytes, false);
  }

  /**
   * @param defaultSampler the configured sampler is the SDK's default (parent-based, always on). With a background
   *     worker, a call made while {@code telemetry} is still being built then does not wait for it: its ids and
   *     sampling are fixed without the SDK and its span is recorded once telemetry is ready, if that happens within
   *     {@code startupWaitMillis} of this factory's creation. Otherwise such a call waits, at most
   *     {@code startupWaitMillis}, before it is sent.
   */
  public DialectExchangeFactory(List<Dialect> dialects, DialectContext context, Pending<InferenceTelemetry> telemetry,
      long startupWaitMillis, CallListener listener, long idleTimeoutMillis, ExchangeWorker worker,
      int maxQueuedBytes, boolean defaultSampler) {
    this.dialects = new ArrayList<>(dialects).toArray(new Dialect[0]);
    this.context = context;
    this.telemetry = telemetry;
    this.startupWaitMillis = startupWaitMillis;
    this.listener = listener;
    this.reaper = idleTimeoutMillis > 0 ? new IdleExchangeReaper(idleTimeoutMillis) : null;
    this.worker = worker;
    this.maxQueuedBytes = maxQueuedBytes;
    this.beginsBeforeTelemetry = defaultSampler && !worker.isInline();
    this.telemetryDeadlineNanos = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
        startupWaitMillis);
  }

  /**
   * The JVM is exiting: processes what waits for the worker, ends the calls still open as abandoned (their responses
   * were never finished nor closed; without this their spans would be lost) and processes those ends too. Each of
   * the two waits is bounded by {@code timeoutMillis}.
   */
  public void endAtExit(long timeoutMillis) {
    worker.drain(timeoutMillis);
    if (reaper == null) return;
    reaper.endAll();
    worker.drain(timeoutMillis);
  }

  @Override
  public Exchange begin(ExchangeRequest request) {
    for (Dialect dialect : dialects) {
      DialectSession session;
      try {
        session = dialect.open(request, context);
      } catch (Throwable t) {
        continue;
      }
      if (session != null) {
        if (!beginsBeforeTelemetry && telemetry.get(startupWaitMillis) == null) return null;
        return new TracedExchange(request, session, telemetry, telemetryDeadlineNanos, listener, reaper, worker,
            maxQueuedBytes);
      }
    }
    return null;
  }
}
