package dev.llmotel.exchange;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends the spans of exchanges the application abandoned without closing: a response body nobody reads any more and
 * nobody closes would otherwise keep its span (and its parser state) open for good. An exchange idle for longer than
 * the timeout (no byte moved, no event) is ended as abandoned. One daemon thread, started with the first exchange.
 */
final class IdleExchangeReaper {
  private final long idleTimeoutNanos;
  private final Map<QueuedExchange, Boolean> live = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService timer;

  IdleExchangeReaper(long idleTimeoutNanos) {
    this.idleTimeoutNanos = idleTimeoutNanos;
  }

  void track(QueuedExchange exchange) {
    if (idleTimeoutNanos <= 0) return;
    live.put(exchange, Boolean.TRUE);
    if (timer == null) start();
  }

  void untrack(QueuedExchange exchange) {
    live.remove(exchange);
  }

  private synchronized void start() {
    if (timer != null) return;
    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "llm-otel-agent-idle-reaper");
      thread.setDaemon(true);
      return thread;
    });
    long period = Math.max(TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) / 4, 10);
    t.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    timer = t;
  }

  /** Ends every exchange still open as abandoned (the JVM is exiting: their spans would otherwise be lost). */
  void endAll() {
    for (QueuedExchange exchange : live.keySet()) {
      try {
        exchange.abandonIdle();
      } catch (Throwable ignored) {
        // the others still get ended
      }
    }
  }

  /** Ends every exchange idle for longer than the timeout. */
  void sweep() {
    long now = System.nanoTime();
    for (QueuedExchange exchange : live.keySet()) {
      try {
        if (now - exchange.lastActivityNanos() > idleTimeoutNanos) exchange.abandonIdle();
      } catch (Throwable ignored) {
        // the next sweep tries again
      }
    }
  }
}
