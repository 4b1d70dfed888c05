package dev.llmotel.exchange;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Where an exchange's events are parsed and its span is finished. {@link #inline()}: on the thread that reports the
 * event (usually the application's). {@link #background(long)}: on one agent thread, so that the application's
 * thread only copies the bytes it moves and takes timestamps; the span still carries the times at which the bytes
 * reached the application.
 */
public abstract class ExchangeWorker {
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
    return new Background(TimeUnit.MILLISECONDS.toNanos(Math.max(1, pollMillis)), true);
  }

  /** A background worker whose thread never starts: events wait until {@link #drain(long)} (tests). */
  public static ExchangeWorker manual() {
    return new Background(0, false);
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

    private final ConcurrentLinkedQueue<QueuedExchange> queue = new ConcurrentLinkedQueue<>();
    private final long pollNanos;
    private final boolean startsThread;
    private volatile Thread thread;
    private volatile boolean sleeping;
    private final Object taking = new Object();

    Background(long pollNanos, boolean startsThread) {
      this.pollNanos = pollNanos;
      this.startsThread = startsThread;
    }

    @Override
    public boolean isInline() {
      return false;
    }

    @Override
    void schedule(QueuedExchange exchange) {
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
        e.drain();
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
