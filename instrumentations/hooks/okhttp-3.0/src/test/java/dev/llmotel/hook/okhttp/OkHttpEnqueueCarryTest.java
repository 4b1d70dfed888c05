package dev.llmotel.hook.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.exchange.CarriedParent;
import dev.llmotel.testkit.hook.AdviceChecks;
import dev.llmotel.testkit.hook.WovenHook;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the enqueue advice woven into OkHttp's {@code AsyncCall}: what {@link CarriedParent} captures on the thread that
 * enqueues is the carried parent on the dispatcher thread while the call runs there (where the LLM interceptor begins
 * the exchange), and only then: the dispatcher thread carries nothing before or after, nor for a call enqueued with
 * nothing current.
 */
class OkHttpEnqueueCarryTest {
  /** Stands for the application's current span on the enqueuing thread. */
  private static final ThreadLocal<Object> APP_SPAN = new ThreadLocal<>();
  private static final ExecutorService DISPATCHER = Executors.newSingleThreadExecutor();
  private static MockWebServer server;
  private static OkHttpClient client;
  private static volatile Object carriedInInterceptor;
  private static volatile Thread interceptorThread;

  @BeforeAll
  static void start() throws IOException {
    WovenHook.intoLibrary(OkHttpEnqueueInstrumentation.class);
    CarriedParent.install(APP_SPAN::get);
    server = new MockWebServer();
    server.start();
    // one dispatcher thread: every call, and the check after them, run on the same thread
    client = new OkHttpClient.Builder().dispatcher(new Dispatcher(DISPATCHER)).addInterceptor(chain -> {
      carriedInInterceptor = CarriedParent.current();
      interceptorThread = Thread.currentThread();
      return chain.proceed(chain.request());
    }).build();
  }

  @AfterAll
  static void stop() throws IOException {
    CarriedParent.install(null);
    DISPATCHER.shutdown();
    server.shutdown();
  }

  @Test
  void theSpanOfTheEnqueuingThreadIsCarriedToTheDispatcherThreadForThatCallOnly() throws Exception {
    Object span = new Object();
    APP_SPAN.set(span);
    CompletableFuture<Object> call = enqueue();
    APP_SPAN.remove();
    call.get(10, TimeUnit.SECONDS);
    assertEquals(span, carriedInInterceptor);
    assertNotEquals(Thread.currentThread(), interceptorThread);
    assertNull(DISPATCHER.submit(CarriedParent::current).get(10, TimeUnit.SECONDS),
        "the dispatcher thread still carries the span after the call's run");

    enqueue().get(10, TimeUnit.SECONDS);
    assertNull(carriedInInterceptor, "a call enqueued with no span current carries none");
  }

  @Test
  void wovenWithoutErrorAndAdviceUsesOnlyJdkAndBridgeTypes() throws Exception {
    enqueue().get(10, TimeUnit.SECONDS);
    WovenHook woven = WovenHook.intoLibrary(OkHttpEnqueueInstrumentation.class);
    assertEquals(List.of(), woven.failures());
    assertTrue(woven.woven().contains(OkHttpEnqueueInstrumentation.ASYNC_CALL_4), woven.woven().toString());
    AdviceChecks.assertOnlyJdkAndBridgeTypes(OkHttpAsyncCallAdvice.class.getDeclaredClasses());
  }

  /** Enqueues a call; completes when the application's callback has its response. */
  private static CompletableFuture<Object> enqueue() {
    server.enqueue(new MockResponse().setBody("ok"));
    CompletableFuture<Object> done = new CompletableFuture<>();
    client.newCall(new Request.Builder().url(server.url("/v1/chat/completions")).build()).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        done.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        response.close();
        done.complete(null);
      }
    });
    return done;
  }
}
