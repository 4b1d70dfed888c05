package dev.llmotel.hook.vertx.v4;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
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
      WovenVertx.weave();
      return new VertxHookClient(VertxHookClient.Read.HANDLER, false);
    }

    @AfterAll
    void adviceWasWoven() {
      WovenVertx.assertAdviceWoven();
    }
  }

  @Nested
  class ChunkedWritesAndBody extends AbstractHookTest {
    @Override
    protected HookClient createClient() {
      WovenVertx.weave();
      return new VertxHookClient(VertxHookClient.Read.BODY, true);
    }

    @AfterAll
    void adviceWasWoven() {
      WovenVertx.assertAdviceWoven();
    }
  }
}
