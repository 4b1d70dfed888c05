package dev.llmotel.exchange;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One call as the application sees it, above the retries of the library that makes it: an SDK hook opens it on the
 * application's thread when the library's retry loop starts ({@link #enter}) and closes it when the loop returns or
 * throws ({@link #exit}). Every exchange begun on that thread meanwhile is one attempt of this call; telemetry keeps
 * its own state for the call in {@link #state}. Scopes do not nest: a retry loop inside another one (the same library
 * calling itself, an application's retry template around an SDK's) joins the outer call. JDK only; never throws.
 *
 * <p>Asynchronous retry loops (an SDK's {@code executeAsync}): the hook opens the call on the application's thread,
 * takes it off that thread when the method returns ({@link #leaveThread}) and exits it when the returned future
 * completes; the threads that start later attempts bind it meanwhile ({@link #bindHere}), and an object handed to
 * another thread (the queued HTTP call) carries it there ({@link #carry}, {@link #carried}).
 */
public final class LogicalCall {
  /**
   * {@code [0]}: the call open on this thread, or null. A JDK array set and cleared in place: entering and leaving a
   * call (once per SDK call) adds and removes no ThreadLocal entry, and no call is left on the thread after it.
   */
  private static final ThreadLocal<Object[]> CURRENT = new ThreadLocal<Object[]>() {
    @Override
    protected Object[] initialValue() {
      return new Object[1];
    }
  };
  /**
   * Asynchronous calls: the logical call an object (a retry loop's counter, an HTTP call queued for another thread)
   * carries from the thread that made it to the thread that runs it. Weak keys compared as the carriers compare
   * (those used, OkHttp's {@code RealCall} and Kotlin's {@code Ref.IntRef}, by identity); an entry goes with its
   * carrier.
   */
  private static final Map<Object, LogicalCall> CARRIED =
      Collections.synchronizedMap(new WeakHashMap<Object, LogicalCall>());
  /** False until something was carried: a thread that asks before then pays no lock. */
  private static volatile boolean anyCarried;

  /** What telemetry attached to this call (set on the first attempt, read on exit); null until then. */
  private volatile Object state;
  /** Told when the call's retry loop is over; null until telemetry attaches one. */
  private volatile ExitListener listener;
  private volatile boolean exited;

  /** Telemetry's half: told once, when the retry loop returned or threw, on the application's thread. */
  public interface ExitListener {
    void exited(LogicalCall call, Throwable thrown);
  }

  private LogicalCall() {}

  /**
   * Opens a logical call on this thread.
   *
   * @return the call to {@link #exit} when the loop is over, or null when this thread is already inside one (the loop
   *     then joins it, and its exit must be ignored)
   */
  public static LogicalCall enter() {
    Object[] here = CURRENT.get();
    if (here[0] != null) return null;
    LogicalCall call = new LogicalCall();
    here[0] = call;
    return call;
  }

  /** The logical call open on this thread, or null. */
  public static LogicalCall current() {
    return (LogicalCall) CURRENT.get()[0];
  }

  /** Closes the call opened by {@link #enter}: the retry loop returned ({@code thrown == null}) or threw. */
  public void exit(Throwable thrown) {
    leaveThread();
    exited = true;
    ExitListener l = listener;
    if (l == null) return;
    try {
      l.exited(this, thrown);
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
  }

  /** Whether the retry loop is over. */
  public boolean exited() {
    return exited;
  }

  public Object state() {
    return state;
  }

  /** Attaches telemetry's state and exit listener (once, by the first attempt, on the application's thread). */
  public void attach(Object state, ExitListener listener) {
    this.state = state;
    this.listener = listener;
  }

  /**
   * Asynchronous calls: takes the call off this thread (the thread that opened it with {@link #enter}) without ending
   * it; the hook then calls {@link #exit} when the call's future completes, on whichever thread that is.
   */
  public void leaveThread() {
    Object[] here = CURRENT.get();
    if (here[0] == this) here[0] = null;
  }

  /**
   * Makes this (still open) call current on this thread, for an attempt run here on its behalf.
   *
   * @return true when bound (undo with {@link #leaveThread}); false when this thread is inside a call already or
   *     this one is over
   */
  public boolean bindHere() {
    if (exited) return false;
    Object[] here = CURRENT.get();
    if (here[0] != null) return false;
    here[0] = this;
    return true;
  }

  /** Lets {@code carrier} carry {@code call} to another thread ({@link #carried}); nothing when either is null. */
  public static void carry(Object carrier, LogicalCall call) {
    if (carrier == null || call == null) return;
    anyCarried = true;
    CARRIED.put(carrier, call);
  }

  /** The still open call {@code carrier} carries, or null; with {@code remove} the carrier no longer carries it. */
  public static LogicalCall carried(Object carrier, boolean remove) {
    if (!anyCarried || carrier == null) return null;
    LogicalCall call = remove ? CARRIED.remove(carrier) : CARRIED.get(carrier);
    return call == null || call.exited ? null : call;
  }
}
