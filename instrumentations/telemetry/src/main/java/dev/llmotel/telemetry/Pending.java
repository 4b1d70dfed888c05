package dev.llmotel.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A value the agent builds in the background at start-up (the telemetry pipeline), so that the application's own
 * start is not held up. Callers that need it early wait a bounded time, then go on without it.
 */
public final class Pending<T> {
  /** Not done, nothing asked for it yet. */
  private static final int IDLE = 0;
  /** Not done, asked for (see {@link #wanted()}). */
  private static final int WANTED = 1;
  /** Being completed: the value is being written (waiters wait for the latch, as before). */
  private static final int COMPLETING = 2;
  private static final int COMPLETED = 3;
  private static final int FAILED = 4;

  private final CountDownLatch done = new CountDownLatch(1);
  /** One of the above; whoever moves it to COMPLETING or FAILED (by CAS) finishes, once. */
  private final AtomicInteger state = new AtomicInteger(IDLE);
  /** Whether it was asked for before it was done (kept for {@link #wanted()} once done). */
  private volatile boolean askedBeforeDone;
  /** Written before the move from COMPLETING to COMPLETED; read only once that is seen. */
  private volatile T value;
  /** Actions to run once done, in order; null once done. Guarded by {@code this}. */
  private List<Runnable> whenDone = new ArrayList<>();

  /** Already available. */
  public static <T> Pending<T> of(T value) {
    Pending<T> p = new Pending<>();
    p.complete(value);
    return p;
  }

  /**
   * The value is ready: callers get it. A no-op once failed (or completed): returns false, and the caller still owns
   * {@code v} (a pipeline nobody will use or shut down otherwise).
   */
  public boolean complete(T v) {
    for (int s; (s = state.get()) < COMPLETING; ) {
      if (state.compareAndSet(s, COMPLETING)) {
        value = v;
        state.set(COMPLETED);
        finish();
        return true;
      }
    }
    return false;
  }

  /** Start-up failed: callers stop waiting and get null. A no-op once completed. */
  public void fail() {
    for (int s; (s = state.get()) < COMPLETING; ) {
      if (state.compareAndSet(s, FAILED)) {
        finish();
        return;
      }
    }
  }

  /**
   * Fails it if nothing has asked for it yet ({@link #get} / {@link #whenDone}), in one atomic step: whoever asks
   * from then on gets null at once, as after {@link #fail}. Returns false (and changes nothing) when it was asked for
   * or is done already. The exit hook's way not to wait for an SDK nothing used without losing a call that begins
   * while it decides.
   */
  public boolean failUnlessWanted() {
    if (!state.compareAndSet(IDLE, FAILED)) return false;
    finish();
    return true;
  }

  /** Marks it wanted if it is not done yet; returns the state seen afterwards. */
  private int ask() {
    int s = state.get();
    if (s == IDLE) {
      askedBeforeDone = true;
      if (!state.compareAndSet(IDLE, WANTED)) s = state.get(); // done (or asked) meanwhile
      else s = WANTED;
    }
    return s;
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
    if (ask() >= COMPLETED) return false;
    synchronized (this) {
      if (whenDone == null || whenDone.size() >= maxWaiting) return false;
      whenDone.add(action);
      return true;
    }
  }

  /**
   * Gives {@code action} the value (null if it failed or is not ready): on the thread that completes or fails it, once
   * it does ({@link #whenDone}); or now, after waiting at most {@code waitMillis} for it ({@link #get}), when it is done
   * already or {@code maxWaiting} actions already wait.
   */
  public void whenDoneOrNow(Consumer<? super T> action, int maxWaiting, long waitMillis) {
    if (!whenDone(() -> action.accept(get(0)), maxWaiting)) action.accept(get(waitMillis));
  }

  /** Whether the value was completed or failed (never waits). */
  public boolean isDone() {
    return state.get() >= COMPLETED;
  }

  /**
   * The value if it is completed, else null, without marking it wanted: for the agent's own reads (draining what
   * waited for it), which must not make the exit hook wait for an SDK nothing else asked for.
   */
  public T peek() {
    return state.get() == COMPLETED ? value : null;
  }

  /** The value, waiting at most {@code waitMillis} while it is being built; null if not ready in time or failed. */
  public T get(long waitMillis) {
    int s = ask();
    if (s == COMPLETED) return value;
    if (s == FAILED) return null;
    try {
      done.await(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return peek();
  }

  /**
   * Whether {@link #get} or {@link #whenDone} was called before it was done: nothing asked for the value, nothing
   * depends on it (at exit, a pipeline nobody used need not be waited for; see {@link #failUnlessWanted}).
   */
  public boolean wanted() {
    return askedBeforeDone || state.get() == WANTED;
  }
}
