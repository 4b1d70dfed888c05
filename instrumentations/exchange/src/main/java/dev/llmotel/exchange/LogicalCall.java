package dev.llmotel.exchange;

/**
 * One call as the application sees it, above the retries of the library that makes it: an SDK hook opens it on the
 * application's thread when the library's retry loop starts ({@link #enter}) and closes it when the loop returns or
 * throws ({@link #exit}). Every exchange begun on that thread meanwhile is one attempt of this call; telemetry keeps
 * its own state for the call in {@link #state}. Scopes do not nest: a retry loop inside another one (the same library
 * calling itself, an application's retry template around an SDK's) joins the outer call. JDK only; never throws.
 */
public final class LogicalCall {
  private static final ThreadLocal<LogicalCall> CURRENT = new ThreadLocal<LogicalCall>();

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
    if (CURRENT.get() != null) return null;
    LogicalCall call = new LogicalCall();
    CURRENT.set(call);
    return call;
  }

  /** The logical call open on this thread, or null. */
  public static LogicalCall current() {
    return CURRENT.get();
  }

  /** Closes the call opened by {@link #enter}: the retry loop returned ({@code thrown == null}) or threw. */
  public void exit(Throwable thrown) {
    if (CURRENT.get() == this) CURRENT.remove();
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
}
