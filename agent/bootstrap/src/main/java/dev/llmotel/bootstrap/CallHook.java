package dev.llmotel.bootstrap;

/**
 * Wraps one call of a client method: {@link #enter} may replace the call's arguments and returns a token (or null
 * when the call is of no interest); {@link #exit} gets that token with the method's result or thrown exception.
 */
public interface CallHook {
  /**
   * @param self the receiver
   * @param args the call's arguments; the hook may replace elements in place
   * @return a token handed to {@link #exit}, or null to ignore the call
   */
  Object enter(Object self, Object[] args);

  void exit(Object token, Object result, Throwable thrown);
}
