package dev.llmotel.exchange;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The application's current span, carried by a hook from the thread that hands a call over to another thread (OkHttp's
 * {@code enqueue}, which sends it on a dispatcher thread) to the thread that sends it, where the exchange begins and
 * takes its parent. Opaque here: telemetry installs what {@link #capture} takes (its view of the current span) and
 * reads {@link #current} when the sending thread has no span of its own. JDK only; never throws.
 */
public final class CarriedParent {
  /** Telemetry's half: the current span on the calling thread as a value, or null when there is none. */
  public interface Capture {
    Object capture();
  }

  private static final ThreadLocal<Object> CARRIED = new ThreadLocal<Object>();
  private static volatile Capture capture;

  private CarriedParent() {}

  public static void install(Capture c) {
    capture = c;
  }

  /** On the handing thread: its current span (or the one carried to it), or null. */
  public static Object capture() {
    Capture c = capture;
    if (c == null) return null;
    try {
      return c.capture();
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * On the sending thread, before it runs the call: {@code captured} becomes its carried parent.
   *
   * @return what to {@link #restore} when the call's run is over
   */
  public static Object resume(Object captured) {
    Object previous = CARRIED.get();
    if (captured == null) CARRIED.remove();
    else CARRIED.set(captured);
    return previous;
  }

  /** After the run: the sending thread's carried parent is what it was before {@link #resume}. */
  public static void restore(Object previous) {
    if (previous == null) CARRIED.remove();
    else CARRIED.set(previous);
  }

  /** The parent carried to this thread for the call it is running, or null. */
  public static Object current() {
    return CARRIED.get();
  }

  /**
   * A hook's hand-overs: the span current when an object is handed to another thread (a queued call, a prepared
   * request), noted against that object (weakly: one never run is dropped) until the thread that runs it resumes it.
   */
  public static final class Handovers {
    private final Map<Object, Object> captured = Collections.synchronizedMap(new WeakHashMap<Object, Object>());

    /** On the handing thread: notes its current span, if any, against {@code handed}. */
    public void handOver(Object handed) {
      Object parent = capture();
      if (parent != null) captured.put(handed, parent);
    }

    /**
     * On the running thread: the span noted against {@code handed} becomes its carried parent.
     *
     * @return what to give {@link #end} when the run is over, or null when nothing was noted
     */
    public Object resume(Object handed) {
      Object parent = captured.remove(handed);
      return parent == null ? null : new Object[] {CarriedParent.resume(parent)};
    }

    /** After the run: the running thread's carried parent is what it was before {@link #resume}. */
    public static void end(Object token) {
      if (token instanceof Object[]) restore(((Object[]) token)[0]);
    }
  }
}
