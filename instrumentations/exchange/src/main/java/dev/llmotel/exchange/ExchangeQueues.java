package dev.llmotel.exchange;

import java.util.concurrent.TimeUnit;

/**
 * Opens {@link QueuedExchange}s that share one worker, one idle reaper and one per-exchange queue cap; and at the JVM's
 * exit, finishes what they still hold.
 */
public final class ExchangeQueues {
  private final ExchangeWorker worker;
  private final IdleExchangeReaper reaper;
  private final int maxQueuedBytes;

  /**
   * @param worker where events are processed
   * @param idleTimeoutMillis an exchange idle this long after its response began (no byte, no event) is ended as
   *     abandoned; 0: never (those still open are ended at the JVM's exit)
   * @param maxQueuedBytes bytes of one exchange that may wait for a background worker; beyond, the reporting thread
   *     processes them itself
   */
  public ExchangeQueues(ExchangeWorker worker, long idleTimeoutMillis, int maxQueuedBytes) {
    this.worker = worker;
    // with a timeout of 0 the reaper does not sweep, but still ends the exchanges left open at exit
    this.reaper = new IdleExchangeReaper(TimeUnit.MILLISECONDS.toNanos(Math.max(0, idleTimeoutMillis)));
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /** Events processed at once on the reporting thread, no idle limit. */
  public static ExchangeQueues inline() {
    return new ExchangeQueues(ExchangeWorker.inline(), 0, 0);
  }

  public ExchangeWorker worker() {
    return worker;
  }

  /** The exchange a hook reports to, whose events go to {@code handler}. */
  public Exchange open(ExchangeHandler handler) {
    return new QueuedExchange(handler, worker, reaper, maxQueuedBytes);
  }

  /**
   * The JVM is exiting: processes what waits for the worker, ends the calls still open as abandoned (their responses
   * were never finished nor closed; without this their spans would be lost) and processes those ends too, all
   * within {@code timeoutMillis}.
   */
  public void endAtExit(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
    worker.drain(timeoutMillis);
    reaper.endAll();
    worker.drain(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
  }
}
