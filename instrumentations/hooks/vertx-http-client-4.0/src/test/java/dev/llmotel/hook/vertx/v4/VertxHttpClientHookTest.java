package dev.llmotel.hook.vertx.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import dev.llmotel.testkit.hook.WovenHook;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/**
 * The hook test kit's contract through a real Vert.x {@code HttpClient} whose classes carry the hook's advice
 * (woven into this JVM by {@link WovenVertx}, as the agent weaves them): the request sent whole and the response
 * read through its handler, and the request written in chunks and the response taken from {@code body()}.
 */
class VertxHttpClientHookTest {
  @Nested
  class SendAndHandler extends AbstractHookTest {
    @Override
    protected HookClient createClient() {
      WovenHook.intoLibrary(VertxHttpClientInstrumentation.class);
      return new VertxHookClient(VertxHookClient.Read.HANDLER, false);
    }

    @AfterAll
    void adviceWasWoven() {
      assertAdviceWoven();
    }
  }

  @Nested
  class ChunkedWritesAndBody extends AbstractHookTest {
    @Override
    protected HookClient createClient() {
      WovenHook.intoLibrary(VertxHttpClientInstrumentation.class);
      return new VertxHookClient(VertxHookClient.Read.BODY, true);
    }

    @AfterAll
    void adviceWasWoven() {
      assertAdviceWoven();
    }
  }

  /** The tests above ran against advised classes, every one of them woven without error. */
  static void assertAdviceWoven() {
    WovenHook woven = WovenHook.intoLibrary(VertxHttpClientInstrumentation.class);
    assertEquals(List.of(), woven.failures());
    assertEquals(Set.of(new VertxHttpClientInstrumentation().typeNames()), woven.woven());
  }
}
