package dev.llmotel.exchange;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Where an exchange's events are parsed and its span is finished. {@link #inline()}: on the thread that reports the
 * event (usually the application's). {@link #background(long)}: on one agent thread, so that the application's
 * thread only copies the bytes it moves and takes timestamps; the span still carries the times at which the bytes
 * reached the application.
 */
public abstract class ExchangeWorker {
  /** Where the exchanges queueing for this worker copy body bytes (see {@link BodyBlocks}). */
  final BodyBlocks blocks = new BodyBlocks();

  ExchangeWorker() {}

  /** True when events are processed on the reporting thread, as they happen. */
  public abstract boolean isInline();

  /**
   * Starts the worker's thread now, from the calling (agent) thread, rather than from the first application thread
   * that reports an event: a thread inherits its creator's inheritable thread-locals, and the agent's thread should
   * hold none of the application's.
   */
  public void start() {}

  /** True on the worker's own thread (which may wait); false on any other, in particular the application's. */
  boolean onWorkerThread() {
    return false;
  }

  /**
   * An exchange queued events whose copies weigh {@code bytes} (body bytes plus a fixed overhead per event) for this
   * worker. Returns true when everything waiting for the worker, over all exchanges, now exceeds its budget: the
   * reporting thread then processes its exchange's backlog itself, so the total memory waiting is bounded however far
   * the worker falls behind (not only each exchange's share of it).
   */
  boolean charge(long bytes) {
    return false;
  }

  /** The processing of queued events that {@link #charge(long)} counted is done. */
  void release(long bytes) {}

  /** Bytes charged and not yet released (0 for an inline worker). */
  long backlogBytes() {
    return 0;
  }

  /** The exchange has events to process. Cheap, never blocks, never throws. */
  abstract void schedule(QueuedExchange exchange);

  /**
   * Processes, on the calling thread, everything scheduled so far (for example before the exporters flush at exit),
   * for at most {@code timeoutMillis}.
   */
  public abstract void drain(long timeoutMillis);

  public static ExchangeWorker inline() {
    return Inline.INSTANCE;
  }

  /**
   * @param pollMillis how often the worker looks for new events while calls are coming in; after a second without
   *     any it sleeps until the next event
   */
  public static ExchangeWorker background(long pollMillis) {
    return new Background(TimeUnit.MILLISECONDS.toNanos(Math.max(1, pollMillis)), true, Background.MAX_BACKLOG_BYTES);
  }

  /** A background worker whose thread never starts: events wait until {@link #drain(long)} (tests). */
  public static ExchangeWorker manual() {
    return new Background(0, false, Background.MAX_BACKLOG_BYTES);
  }

  /** {@link #manual()} with a given budget for all queued events (tests). */
  static ExchangeWorker manual(long maxBacklogBytes) {
    return new Background(0, false, maxBacklogBytes);
  }

  private static final class Inline extends ExchangeWorker {
    static final Inline INSTANCE = new Inline();

    @Override
    public boolean isInline() {
      return true;
    }

    @Override
    void schedule(QueuedExchange exchange) {
      exchange.drain();
    }

    @Override
    public void drain(long timeoutMillis) {
      // nothing is ever pending
    }
  }

  /**
   * One daemon thread, started by the agent's init thread (or else by the first exchange). It polls while calls come in rather than being woken per
   * event: a wake-up (a futex call and a context switch) would cost the application's thread more than the parsing
   * it saves. Asleep, it is woken by the first new event.
   */
  static final class Background extends ExchangeWorker implements Runnable {
    private static final long IDLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Budget of all events waiting for the worker; the load test reached 110 MB and growing without it. */
    static final long MAX_BACKLOG_BYTES = 8L << 20;
    /**
     * What one exchange waiting in the queue weighs besides its events: the queue keeps it, and with it its call's
     * state (span, facts), until the worker takes it, even when its reporter processed its events meanwhile.
     */
    static final int QUEUED_EXCHANGE_WEIGHT = 2048;

    private final AtomicLong backlog = new AtomicLong();
    private final long maxBacklogBytes;

    private final ConcurrentLinkedQueue<QueuedExchange> queue = new ConcurrentLinkedQueue<>();
    private final long pollNanos;
    private final boolean startsThread;
    private volatile Thread thread;
    private volatile boolean sleeping;
    private final Object taking = new Object();

    Background(long pollNanos, boolean startsThread, long maxBacklogBytes) {
      this.pollNanos = pollNanos;
      this.startsThread = startsThread;
      this.maxBacklogBytes = maxBacklogBytes;
    }

    @Override
    boolean charge(long bytes) {
      return backlog.addAndGet(bytes) > maxBacklogBytes;
    }

    @Override
    void release(long bytes) {
      backlog.addAndGet(-bytes);
    }

    @Override
    long backlogBytes() {
      return backlog.get();
    }

    @Override
    public boolean isInline() {
      return false;
    }

    @Override
    void schedule(QueuedExchange exchange) {
      backlog.addAndGet(QUEUED_EXCHANGE_WEIGHT);
      queue.offer(exchange);
      Thread t = thread;
      if (t == null) {
        start();
      } else if (sleeping) {
        sleeping = false;
        LockSupport.unpark(t);
      }
    }

    @Override
    boolean onWorkerThread() {
      return Thread.currentThread() == thread;
    }

    @Override
    public synchronized void start() {
      if (thread != null || !startsThread) return;
      Thread t = new Thread(this, "llm-otel-agent-exchanges");
      t.setDaemon(true);
      // created from an application thread: keep none of its class loaders reachable from ours
      t.setContextClassLoader(ExchangeWorker.class.getClassLoader());
      thread = t;
      t.start();
    }

    @Override
    public void run() {
      long lastWork = System.nanoTime();
      while (true) {
        boolean worked = false;
        while (drainOne()) worked = true;
        long now = System.nanoTime();
        if (worked) lastWork = now;
        if (now - lastWork < IDLE_AFTER_NANOS) {
          LockSupport.parkNanos(this, pollNanos);
        } else {
          sleeping = true;
          if (queue.isEmpty()) LockSupport.park(this);
          sleeping = false;
        }
      }
    }

    /**
     * Takes one exchange off the queue and processes it, under a lock {@link #drain(long)} takes too: whoever takes an
     * exchange finishes it before the other looks at the queue, so an exit drain never misses one in between.
     */
    private boolean drainOne() {
      synchronized (taking) {
        QueuedExchange e = queue.poll();
        if (e == null) return false;
        backlog.addAndGet(-QUEUED_EXCHANGE_WEIGHT);
        try {
          e.drain();
        } catch (Throwable t) {
          // one exchange's failure (an error out of memory, say) never stops the worker for all the others
        }
        return true;
      }
    }

    @Override
    public void drain(long timeoutMillis) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (System.nanoTime() < deadline && drainOne()) {
        // the calling thread works through the backlog
      }
    }
  }
}
