package dev.llmotel.hook;

import dev.llmotel.bootstrap.CallHook;
import java.lang.ref.WeakReference;

/**
 * The {@link CallHook} a hook registers in its bridge slot: each call goes to the helper (a {@code CallHook} compiled
 * against the library) of the class loader of the call's receiver, and that helper's token travels with it to the
 * exit as {@code [helper, token]}. A loader without a working helper, or a helper that throws, leaves the call alone:
 * nothing here throws.
 */
public final class PerLoaderCallHook implements CallHook {
  private final PerLoaderHelpers<CallHook> helpers;
  private final boolean keepLast;
  /**
   * With {@code keepLast}: the last {loader, helper} pair looked up, a helper that could not be made (null) included:
   * {@link PerLoaderHelpers} does not retry those, and a hook on a hot path of a library (every subscribe) must not
   * take its locks on every call when the helper's library is missing. Held weakly: this hook is reachable from the
   * bootstrap loader, and the pair from an undeployed application's loader would keep it (and all its classes) alive;
   * a collected pair is looked up again.
   */
  private volatile WeakReference<Object[]> last = new WeakReference<Object[]>(null);

  private PerLoaderCallHook(PerLoaderHelpers<CallHook> helpers, boolean keepLast) {
    this.helpers = helpers;
    this.keepLast = keepLast;
  }

  /** Dispatches to a new instance of {@code helperClass} per application loader. */
  public static PerLoaderCallHook of(String helperClass) {
    return new PerLoaderCallHook(new PerLoaderHelpers<CallHook>(helperClass, CallHook.class), false);
  }

  /**
   * Like {@link #of}, and keeps the last loader's helper at hand: for hooks called per chunk on many threads, so the
   * usual case (one copy of the library in the application) takes no lock (until the next collection of the weakly
   * held pair).
   */
  public static PerLoaderCallHook keepingLast(String helperClass) {
    return new PerLoaderCallHook(new PerLoaderHelpers<CallHook>(helperClass, CallHook.class), true);
  }

  @Override
  public Object enter(Object self, Object[] args) {
    try {
      CallHook helper = helper(self.getClass().getClassLoader());
      if (helper == null) return null;
      Object token = helper.enter(self, args);
      return token == null ? null : new Object[] {helper, token};
    } catch (Throwable t) {
      return null;
    }
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    try {
      Object[] t = (Object[]) token;
      ((CallHook) t[0]).exit(t[1], result, thrown);
    } catch (Throwable ignored) {
      // the application's call goes on as it was
    }
  }

  private CallHook helper(ClassLoader loader) {
    if (!keepLast) return helpers.get(loader);
    Object[] cached = last.get();
    if (cached != null && cached[0] == loader) return (CallHook) cached[1];
    CallHook helper = helpers.get(loader);
    last = new WeakReference<Object[]>(new Object[] {loader, helper});
    return helper;
  }
}
