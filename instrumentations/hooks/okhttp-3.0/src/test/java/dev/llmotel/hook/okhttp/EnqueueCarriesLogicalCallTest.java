package dev.llmotel.hook.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.exchange.Exchanges;
import dev.llmotel.exchange.LogicalCall;
import dev.llmotel.testkit.hook.WovenHook;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real advice on {@code RealCall.enqueue}, woven in this JVM: a call queued inside a logical call (an SDK's
 * asynchronous retry loop) begins its exchange on the dispatcher's thread inside that logical call, and only there.
 */
class EnqueueCarriesLogicalCallTest {
  private static final String REAL_CALL = "okhttp3.internal.connection.RealCall";

  private final MockWebServer server = new MockWebServer();
  /** The logical call current when each exchange began, and on which thread. */
  private final List<Object[]> begun = new CopyOnWriteArrayList<>();
  private final CountDownLatch gate = new CountDownLatch(1);
  private OkHttpClient client;

  @BeforeEach
  void setUp() throws Exception {
    assertTrue(WovenHook.intoLibrary(OkHttpInstrumentation.class).load(REAL_CALL, OkHttpInstrumentation.BUILDER)
        .woven().contains(REAL_CALL), "the advice is really woven");
    server.start();
    Exchanges.install(request -> {
      begun.add(new Object[] {LogicalCall.current(), Thread.currentThread()});
      return new RecordingExchange(request);
    });
    ExecutorService dispatcher = Executors.newSingleThreadExecutor();
    dispatcher.execute(() -> {
      try {
        gate.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    // the woven builder adds the interceptor; the dispatcher runs nothing before release()
    client = new OkHttpClient.Builder().dispatcher(new Dispatcher(dispatcher)).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    Exchanges.install(null);
    release();
    client.dispatcher().executorService().shutdown();
    server.shutdown();
  }

  /** Queues a call; the dispatcher runs it once {@link #release} is called. */
  private CompletableFuture<String> enqueue() {
    server.enqueue(new MockResponse().setBody("{\"ok\":true}"));
    CompletableFuture<String> body = new CompletableFuture<>();
    Request request = new Request.Builder().url(server.url("/v1/messages"))
        .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
    client.newCall(request).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        body.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) throws IOException {
        body.complete(response.body().string() + (LogicalCall.current() == null ? "" : " (still bound)"));
      }
    });
    return body;
  }

  private void release() {
    gate.countDown();
  }

  @Test
  void aCallQueuedInsideALogicalCallBeginsItsExchangeInsideItOnTheDispatcherThread() throws Exception {
    LogicalCall call = LogicalCall.enter();
    CompletableFuture<String> body;
    try {
      body = enqueue();
      call.leaveThread(); // what the SDK hook does when executeAsync returns, before the dispatcher runs the call
      release();
      assertEquals("{\"ok\":true}", body.get(20, TimeUnit.SECONDS),
          "the application's response as it was, the call not bound in its callback");
    } finally {
      call.exit(null);
    }
    assertEquals(1, begun.size());
    assertSame(call, begun.get(0)[0], "the exchange began inside the logical call");
    assertNotEquals(Thread.currentThread(), begun.get(0)[1], "on the dispatcher's thread");
  }

  @Test
  void aLogicalCallOverBeforeTheDispatcherRunsTheCallIsNotBound() throws Exception {
    LogicalCall call = LogicalCall.enter();
    CompletableFuture<String> body = enqueue();
    call.exit(null);
    release();
    assertEquals("{\"ok\":true}", body.get(20, TimeUnit.SECONDS));
    assertEquals(1, begun.size());
    assertNull(begun.get(0)[0]);
  }

  @Test
  void aCallQueuedOutsideAnyLogicalCallBeginsOutsideOne() throws Exception {
    assertNull(LogicalCall.current());
    CompletableFuture<String> body = enqueue();
    release();
    assertEquals("{\"ok\":true}", body.get(20, TimeUnit.SECONDS));
    assertEquals(1, begun.size());
    assertNull(begun.get(0)[0]);
  }
}
