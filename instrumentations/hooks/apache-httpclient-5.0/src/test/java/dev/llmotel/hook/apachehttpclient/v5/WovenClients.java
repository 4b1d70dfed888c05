package dev.llmotel.hook.apachehttpclient.v5;

import dev.llmotel.testkit.hook.WovenHook;
import java.util.Set;

/**
 * The hook's advice woven into the real HttpClient 5 classes of this test JVM, the way the agent's installer does it
 * ({@link WovenHook#intoLibrary}), its bridge slots filled. The JVM runs with byte-buddy-agent as its {@code
 * -javaagent} (see the pom) for the {@link java.lang.instrument.Instrumentation}.
 */
final class WovenClients {
  private WovenClients() {}

  /**
   * Idempotent; every class the hook names loaded (so woven) now, and returned (checked by the tests, so weaving
   * cannot fail quietly).
   */
  static Set<String> install() throws Exception {
    return WovenHook.intoLibrary(ApacheHttpClient5Instrumentation.class)
        .load(new ApacheHttpClient5Instrumentation().typeNames()).woven();
  }
}
