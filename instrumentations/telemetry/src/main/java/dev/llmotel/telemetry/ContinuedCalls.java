package dev.llmotel.telemetry;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.ContinuationFacts;
import dev.llmotel.dialect.ContinuationRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The calls that span several exchanges ({@link ContinuationFacts}) and are still open: a call opened by one exchange
 * (whose span is begun then, under the application's span of that moment) waits here, under its keys, for the
 * exchanges that continue it; their facts join the call's ({@link ContinuationRules#merge}) and the one that ends it
 * records the call's single span, ending when that exchange ended. Bounded: at most {@code maxOpen} calls (the oldest
 * is ended, marked, past it), and a call no exchange continued within the idle limit (none in flight either) is ended
 * marked {@code error.type=timeout}, at the time it was last continued; at the JVM's exit the calls still open end
 * marked too. One daemon thread, started with the first open call when there is an idle limit.
 */
final class ContinuedCalls {
  /** Open calls at most, by default. */
  static final int DEFAULT_MAX_OPEN = 1024;

  private final int maxOpen;
  private final long idleNanos;
  /** Guarded by this: every open call, oldest first (insertion order), and its keys. */
  private final Map<Open, Boolean> open = new java.util.LinkedHashMap<>();
  private final Map<String, Open> byKey = new HashMap<>();
  /** Guarded by this: the exchanges in flight that continue an open call (an abandoned one stays until reaped). */
  private final Map<TracedCall, Open> inFlight = new IdentityHashMap<>();
  /**
   * Guarded by this: exchanges that began continuing a call not open yet (its opening exchange is still being
   * processed by the worker), by key: they count as in flight once it opens.
   */
  private final Map<TracedCall, String> early = new IdentityHashMap<>();
  private volatile ScheduledExecutorService timer;

  /** @param idleMillis a call not continued this long is ended as timed out; 0: never (until exit) */
  ContinuedCalls(int maxOpen, long idleMillis) {
    this.maxOpen = Math.max(1, maxOpen);
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, idleMillis));
  }

  /** One open call: the exchange that opened it, and what continued it since. */
  private static final class Open {
    final TracedCall opener;
    final Set<String> keys = new LinkedHashSet<>(4);
    long lastActivityNanos;
    /** Exchanges continuing the call that began and have not ended. */
    int inFlight;

    Open(TracedCall opener, long nanos) {
      this.opener = opener;
      this.lastActivityNanos = nanos;
    }
  }

  /**
   * The exchange that opened a call ended: it waits here under the keys its response named.
   *
   * @return false when the call is not to be continued (no key, or it failed or already ended): it is then a call of
   *     its own, recorded by the caller
   */
  boolean opened(TracedCall opener, long endNanoTime) {
    CallFacts facts = opener.facts();
    List<String> keys = facts.continuation.keys();
    if (keys.isEmpty() || facts.failed() || facts.continuation.ends()) return false;
    List<Open> ended = new ArrayList<>(2);
    synchronized (this) {
      Open call = new Open(opener, endNanoTime);
      for (String key : keys) {
        Open previous = byKey.put(key, call);
        if (previous != null && previous != call && remove(previous)) {
          ContinuationRules.unfinished(previous.opener.facts(), ContinuationRules.SUPERSEDED,
              "a new call was opened under the same key");
          ended.add(previous);
        }
        call.keys.add(key);
      }
      open.put(call, Boolean.TRUE);
      for (Iterator<Map.Entry<TracedCall, String>> it = early.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<TracedCall, String> e = it.next();
        if (!call.keys.contains(e.getValue())) continue;
        it.remove();
        if (inFlight.put(e.getKey(), call) == null) call.inFlight++;
      }
      while (open.size() > maxOpen) {
        Open oldest = open.keySet().iterator().next();
        remove(oldest);
        ContinuationRules.unfinished(oldest.opener.facts(), ContinuationRules.CAPACITY,
            "more than " + maxOpen + " calls were open");
        ended.add(oldest);
      }
    }
    for (Open call : ended) record(call, call.lastActivityNanos);
    if (idleNanos > 0 && timer == null) startTimer();
    return true;
  }

  /**
   * An exchange that continues a call begins (on the application's thread): the call, when open, is not idle while
   * the exchange runs.
   *
   * @return the span of the call, whose context the exchange propagates; null when no call is open under the key
   *     (yet: the exchange then counts as in flight once a call opens under it)
   */
  synchronized InferenceSpans.Begun began(TracedCall part, String key, long nanos) {
    Open call = key == null ? null : byKey.get(key);
    if (call == null) {
      if (key != null && early.size() < 4 * maxOpen) early.put(part, key);
      return null;
    }
    // bounded: exchanges that never end (none reaps them when there is no idle limit) are tracked up to a point
    if (inFlight.size() < 4 * maxOpen && inFlight.put(part, call) == null) call.inFlight++;
    call.lastActivityNanos = nanos;
    return call.opener.begun();
  }

  /**
   * An exchange that continues a call ended: its facts join the call's; when it ends the call, the call's span is
   * recorded, ending at {@code endNanoTime}. An exchange whose call is not open (never opened here, or already ended)
   * is dropped: it is no call of its own.
   */
  void continued(TracedCall part, long endNanoTime, boolean onWorkerThread) {
    CallFacts facts = part.facts();
    Open ended = null;
    synchronized (this) {
      early.remove(part);
      Open began = inFlight.remove(part);
      if (began != null) began.inFlight--;
      Open call = null;
      for (String key : facts.continuation.keys()) {
        call = byKey.get(key);
        if (call != null) break;
      }
      if (call == null) call = began;
      if (call == null || !open.containsKey(call)) return;
      call.lastActivityNanos = endNanoTime;
      ContinuationRules.merge(call.opener.facts(), facts);
      if (facts.continuation.ends()) {
        remove(call);
        ended = call;
      }
    }
    if (ended != null) record(ended, endNanoTime, onWorkerThread);
  }

  /** Guarded by this. @return true when the call was open */
  private boolean remove(Open call) {
    if (open.remove(call) == null) return false;
    for (String key : call.keys) {
      if (byKey.get(key) == call) byKey.remove(key);
    }
    return true;
  }

  /** Ends every call idle longer than the limit (none of its exchanges in flight), at its last activity. */
  void sweep(long now) {
    List<Open> ended = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Open> it = open.keySet().iterator(); it.hasNext(); ) {
        Open call = it.next();
        if (call.inFlight > 0 || now - call.lastActivityNanos <= idleNanos) continue;
        it.remove();
        for (String key : call.keys) {
          if (byKey.get(key) == call) byKey.remove(key);
        }
        ContinuationRules.unfinished(call.opener.facts(), ContinuationRules.IDLE_LIMIT,
            "not continued within " + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms");
        ended.add(call);
      }
    }
    for (Open call : ended) record(call, call.lastActivityNanos);
  }

  /** The JVM is exiting: every call still open ends, marked, at its last activity. */
  void endAll() {
    List<Open> ended;
    synchronized (this) {
      ended = new ArrayList<>(open.keySet());
      open.clear();
      byKey.clear();
      inFlight.clear();
      early.clear();
      for (Open call : ended) {
        ContinuationRules.unfinished(call.opener.facts(), ContinuationRules.SHUTDOWN,
            "the application exited with the call open");
      }
    }
    for (Open call : ended) record(call, call.lastActivityNanos);
  }

  synchronized int openCount() {
    return open.size();
  }

  private void record(Open call, long endNanoTime) {
    record(call, endNanoTime, false);
  }

  private void record(Open call, long endNanoTime, boolean onWorkerThread) {
    try {
      call.opener.recordContinued(endNanoTime, onWorkerThread);
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
  }

  private synchronized void startTimer() {
    if (timer != null) return;
    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "llm-otel-agent-continued-calls");
      thread.setDaemon(true);
      thread.setContextClassLoader(ContinuedCalls.class.getClassLoader());
      return thread;
    });
    long period = Math.max(TimeUnit.NANOSECONDS.toMillis(idleNanos) / 4, 10);
    t.scheduleWithFixedDelay(() -> {
      try {
        sweep(System.nanoTime());
      } catch (Throwable ignored) {
        // the next sweep tries again
      }
    }, period, period, TimeUnit.MILLISECONDS);
    timer = t;
  }
}
