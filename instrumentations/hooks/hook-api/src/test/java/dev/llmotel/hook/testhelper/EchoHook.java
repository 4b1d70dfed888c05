package dev.llmotel.hook.testhelper;

import dev.llmotel.bootstrap.CallHook;

/** A helper for PerLoaderCallHookTest: args[0] says what to do; the exit writes the token into result[0]. */
public final class EchoHook implements CallHook {
  @Override
  public Object enter(Object self, Object[] args) {
    if ("throw".equals(args[0])) throw new IllegalStateException("enter");
    if ("ignore".equals(args[0])) return null;
    args[1] = getClass().getClassLoader();
    return "token:" + args[0];
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    if (thrown != null) throw new IllegalStateException("exit");
    ((Object[]) result)[0] = token;
  }
}
