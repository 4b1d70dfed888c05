package dev.llmotel.hook.reactornetty.v1;

import dev.llmotel.testkit.hook.WovenHook;

/**
 * Weaves {@link ReactorNettyInstrumentation}'s advice into the real Reactor Netty classes of this test JVM, the way
 * the agent's installer does ({@link WovenHook#intoLibrary}). Once per JVM; the Netty leak recorder goes in first,
 * before any buffer class is initialised.
 */
final class WovenReactorNetty {
  private static boolean leakRecorderInstalled;

  private WovenReactorNetty() {}

  static synchronized WovenHook install() {
    if (!leakRecorderInstalled) {
      LeakRecorder.install();
      leakRecorderInstalled = true;
    }
    return WovenHook.intoLibrary(ReactorNettyInstrumentation.class);
  }
}
