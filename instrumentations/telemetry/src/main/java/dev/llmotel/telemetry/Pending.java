package dev.llmotel.telemetry;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A value the agent builds in the background at start-up (the telemetry pipeline), so that the application's own
 * start is not held up. Callers that need it early wait a bounded time, then go on without it.
 */
public final class Pending<T> {
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile T value;

  /** Already available. */
  public static <T> Pending<T> of(T value) {
    Pending<T> p = new Pending<>();
    p.complete(value);
    return p;
  }

  public void complete(T v) {
    value = v;
    done.countDown();
  }

  /** Start-up failed: callers stop waiting and get null. */
  public void fail() {
    done.countDown();
  }

  /** Whether the value was completed or failed (never waits). */
  public boolean isDone() {
    return done.getCount() == 0;
  }

  /** The value, waiting at most {@code waitMillis} while it is being built; null if not ready in time or failed. */
  public T get(long waitMillis) {
    T v = value;
    if (v != null || done.getCount() == 0) return v;
    try {
      done.await(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return value;
  }
}
