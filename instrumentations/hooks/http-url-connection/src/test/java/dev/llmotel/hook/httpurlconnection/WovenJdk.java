package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.testkit.hook.WovenHook;

/**
 * Puts this JVM where the agent puts an application's: the bridge on the bootstrap class path, java.base reading it,
 * the hook installed in its slot, and the JDK's own connection classes (already loaded, as in an application)
 * retransformed with the advice ({@link WovenHook#intoJdk}). Once per JVM; every test that needs the real advice
 * calls {@link #install()} first, before anything touches a bridge class.
 */
final class WovenJdk {
  private WovenJdk() {}

  static WovenHook install() throws Exception {
    return WovenHook.intoJdk(HttpUrlConnectionInstrumentation.class, Object.class, null);
  }
}
