package dev.llmotel.exchange;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends the spans of exchanges the application abandoned without closing: a response body nobody reads any more and
 * nobody closes would otherwise keep its span (and its parser state) open for good. An exchange whose response has
 * begun and that stayed idle for longer than the timeout (no byte moved, no event) is ended as abandoned (one still
 * waiting for its response is the server's slowness, which the hook reports when it ends). One daemon thread, started
 * with the first exchange, unless the timeout is 0: then open exchanges are ended only at the JVM's exit. At most
 * {@value #MAX_TRACKED} are watched: past that, the least recently active is ended as abandoned (with no sweep, let
 * go).
 */
final class IdleExchangeReaper {
  static final int MAX_TRACKED = 16_384;

  private final long idleTimeoutNanos;
  private final Map<QueuedExchange, Boolean> live = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService timer;

  /** @param idleTimeoutNanos 0: no sweep (exchanges are still ended at exit) */
  IdleExchangeReaper(long idleTimeoutNanos) {
    this.idleTimeoutNanos = idleTimeoutNanos;
  }

  void track(QueuedExchange exchange) {
    if (live.size() >= MAX_TRACKED) abandonLeastRecent();
    live.put(exchange, Boolean.TRUE);
    if (timer == null && idleTimeoutNanos > 0) start();
  }

  /** How many exchanges are watched (tests). */
  int tracked() {
    return live.size();
  }

  /**
   * Stops watching the exchange with the oldest activity, so that the map keeps its bound, and has the sweep's thread
   * end it as abandoned (not this one: it is processing another exchange, under that exchange's lock). With no sweep
   * (timeout 0) it is only let go: its own events still end it; else its span is not recorded.
   */
  private void abandonLeastRecent() {
    QueuedExchange oldest = null;
    for (QueuedExchange exchange : live.keySet()) {
      if (oldest == null || exchange.lastActivityNanos() - oldest.lastActivityNanos() < 0) oldest = exchange;
    }
    if (oldest == null || live.remove(oldest) == null) return;
    ScheduledExecutorService t = timer;
    if (t == null) return;
    QueuedExchange abandoned = oldest;
    try {
      t.execute(abandoned::abandonIdle);
    } catch (Throwable ignored) {
      // let go
    }
  }

  void untrack(QueuedExchange exchange) {
    live.remove(exchange);
  }

  private synchronized void start() {
    if (timer != null) return;
    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "llm-otel-agent-idle-reaper");
      thread.setDaemon(true);
      // started from whichever thread processes the first event (an application's, inline): none of its loaders
      thread.setContextClassLoader(IdleExchangeReaper.class.getClassLoader());
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
        if (exchange.responded() && now - exchange.lastActivityNanos() > idleTimeoutNanos) exchange.abandonIdle();
      } catch (Throwable ignored) {
        // the next sweep tries again
      }
    }
  }
}
