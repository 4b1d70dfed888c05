package dev.llmotel.hook.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.ObjectHook;
import dev.llmotel.testkit.hook.WovenHook;
import java.lang.management.ManagementFactory;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The builder advice woven into the OkHttp version on this module's class path: every builder, new or copied with
 * {@code newBuilder()} (openai-java does that per request), ends with exactly one of our interceptors, first, the
 * application's after it in their order; and a copy that already holds ours costs the calling thread no allocation.
 */
class BuilderAcrossVersionsTest {
  private static final Interceptor APP = chain -> chain.proceed(chain.request());

  private static boolean ours(Interceptor interceptor) {
    return interceptor.getClass().getName().endsWith(".LlmInterceptor");
  }

  @Test
  void newAndCopiedBuildersHoldExactlyOneOfOurs() throws Exception {
    assertTrue(WovenHook.intoLibrary(OkHttpInstrumentation.class).load(OkHttpInstrumentation.BUILDER).woven()
        .contains(OkHttpInstrumentation.BUILDER), "the advice is really woven");
    OkHttpClient client = new OkHttpClient.Builder().addInterceptor(APP).build();
    assertEquals(2, client.interceptors().size());
    assertTrue(ours(client.interceptors().get(0)));
    assertSame(APP, client.interceptors().get(1));
    OkHttpClient copy = client;
    for (int i = 0; i < 3; i++) {
      copy = copy.newBuilder().build();
      assertEquals(2, copy.interceptors().size(), copy.interceptors().toString());
      assertSame(client.interceptors().get(0), copy.interceptors().get(0), "one shared, stateless instance");
      assertSame(APP, copy.interceptors().get(1));
    }
  }

  @Test
  void theHookAddsNothingAndAllocatesNothingWhenOursIsAlreadyThere() throws Exception {
    WovenHook.intoLibrary(OkHttpInstrumentation.class).load(OkHttpInstrumentation.BUILDER);
    OkHttpClient client = new OkHttpClient.Builder().addInterceptor(APP).build();
    OkHttpClient.Builder builder = client.newBuilder();
    List<Interceptor> list = builder.interceptors();
    Interceptor shared = list.get(0);
    ObjectHook hook = Bridges.objectHook(OkHttpInstrumentation.BUILDER_SLOT);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < 10_000; i++) {
        list.add(0, shared); // what OkHttp 4/5's copy constructor leaves: [ours, ours, app]
        hook.apply(builder);
      }
      least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
      assertEquals(2, list.size());
      assertSame(shared, list.get(0));
      assertSame(APP, list.get(1));
    }
    assertTrue(least < 1_000, "bytes allocated by 10,000 hook runs: " + least);
  }
}
