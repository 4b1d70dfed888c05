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
    this.dialects = new ArrayList<>(dialects).toArray(new Dialect[0]);
    this.context = context;
    this.telemetry = telemetry;
    this.startupWaitMillis = startupWaitMillis;
    this.listener = listener;
    this.reaper = idleTimeoutMillis > 0 ? new IdleExchangeReaper(idleTimeoutMillis) : null;
    this.worker = worker;
    this.maxQueuedBytes = maxQueuedBytes;
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
        InferenceTelemetry ready = telemetry.get(startupWaitMillis);
        return ready == null ? null : new TracedExchange(request, session, ready, listener, reaper, worker,
            maxQueuedBytes);
      }
    }
    return null;
  }
}
