package dev.llmotel.hook.reactornetty.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

/**
 * The hook test kit's contract through a real Reactor Netty {@code HttpClient} with the advice woven into its
 * classes: the body streamed as the application asks for it, and aggregated. Run against the newest served Reactor
 * Netty and, in a second surefire run, the oldest claimed one; every class also ends with Netty's leak detector
 * (paranoid) having reported nothing.
 */
class ReactorNettyHookTest {
  @Test
  void runsTheReactorNettyVersionThisSurefireRunIsFor() {
    String expected = System.getProperty("expected.reactor.netty.version");
    assertEquals(expected, HttpClient.class.getPackage().getImplementationVersion());
  }

  @Nested
  class Streamed extends AbstractHookTest {
    @Override
    protected HookClient createClient() {
      return new ReactorNettyClient(false);
    }

    @AfterAll
    void noBufferLeaked() throws Exception {
      assertNoLeaks();
    }
  }

  @Nested
  class Aggregated extends AbstractHookTest {
    @Override
    protected HookClient createClient() {
      return new ReactorNettyClient(true);
    }

    @AfterAll
    void noBufferLeaked() throws Exception {
      assertNoLeaks();
    }
  }

  static void assertNoLeaks() throws Exception {
    assertTrue(LeakRecorder.tracksByteBufs(), "the leak recorder was installed after Netty made its detector");
    assertEquals(List.of(), LeakRecorder.leaks(), "Netty's leak detector reported buffers");
  }
}
