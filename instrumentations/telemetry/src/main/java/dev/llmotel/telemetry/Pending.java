package dev.llmotel.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A value the agent builds in the background at start-up (the telemetry pipeline), so that the application's own
 * start is not held up. Callers that need it early wait a bounded time, then go on without it.
 */
public final class Pending<T> {
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile T value;
  /** Whether anyone asked for the value (see {@link #wanted()}). */
  private volatile boolean wanted;
  /** Actions to run once done, in order; null once done. Guarded by {@code this}. */
  private List<Runnable> whenDone = new ArrayList<>();

  /** Already available. */
  public static <T> Pending<T> of(T value) {
    Pending<T> p = new Pending<>();
    p.complete(value);
    return p;
  }

  public void complete(T v) {
    value = v;
    finish();
  }

  /** Start-up failed: callers stop waiting and get null. */
  public void fail() {
    finish();
  }

  private void finish() {
    List<Runnable> actions;
    synchronized (this) {
      done.countDown();
      actions = whenDone;
      whenDone = null;
    }
    if (actions == null) return;
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (Throwable ignored) {
        // one action's trouble is not the others'
      }
    }
  }

  /**
   * Runs {@code action} once the value is completed or failed, on the thread that does it (before that thread goes
   * on), unless it is done already or {@code maxWaiting} actions already wait: then returns false without running it.
   */
  public boolean whenDone(Runnable action, int maxWaiting) {
    if (!wanted) wanted = true;
    synchronized (this) {
      if (whenDone == null || whenDone.size() >= maxWaiting) return false;
      whenDone.add(action);
      return true;
    }
  }

  /** Whether the value was completed or failed (never waits). */
  public boolean isDone() {
    return done.getCount() == 0;
  }

  /** The value, waiting at most {@code waitMillis} while it is being built; null if not ready in time or failed. */
  public T get(long waitMillis) {
    if (!wanted) wanted = true;
    T v = value;
    if (v != null || done.getCount() == 0) return v;
    try {
      done.await(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return value;
  }

  /**
   * Whether {@link #get} or {@link #whenDone} was ever called: nothing asked for the value, nothing depends on it (at
   * exit, a pipeline nobody used need not be waited for).
   */
  public boolean wanted() {
    return wanted;
  }
}
