package dev.llmotel.hook.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.llmotel.exchange.Exchanges;
import dev.llmotel.exchange.LogicalCall;
import dev.llmotel.testkit.hook.WovenHook;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The enqueue advice woven into the OkHttp version on this module's class path (system property {@code
 * okhttp.expected}), with the hook's classes as built against OkHttp 4.12: a call queued inside a logical call begins
 * its exchange inside it on the dispatcher's thread. Only API common to OkHttp 3.x, 4.x and 5.x (and a JDK server).
 */
class EnqueueAcrossVersionsTest {
  private final List<Object[]> begun = new CopyOnWriteArrayList<>();
  private final CountDownLatch gate = new CountDownLatch(1);
  private HttpServer server;
  private OkHttpClient client;

  @BeforeEach
  void setUp() throws Exception {
    String realCall = null;
    for (String name : OkHttpInstrumentation.REAL_CALLS) {
      try {
        Class<?> type = Class.forName(name);
        realCall = name;
        String jar = String.valueOf(type.getProtectionDomain().getCodeSource().getLocation());
        assertTrue(jar.contains(System.getProperty("okhttp.expected")), jar);
      } catch (ClassNotFoundException absent) {
        // the other version's
      }
    }
    assertTrue(WovenHook.intoLibrary(OkHttpInstrumentation.class).load(realCall, OkHttpInstrumentation.BUILDER)
        .woven().contains(realCall), "the advice is really woven into " + realCall);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    Exchanges.install(request -> {
      begun.add(new Object[] {LogicalCall.current(), Thread.currentThread()});
      return null;
    });
    ExecutorService dispatcher = Executors.newSingleThreadExecutor();
    dispatcher.execute(() -> {
      try {
        gate.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    client = new OkHttpClient.Builder().dispatcher(new Dispatcher(dispatcher)).build();
  }

  @AfterEach
  void tearDown() {
    Exchanges.install(null);
    gate.countDown();
    client.dispatcher().executorService().shutdown();
    server.stop(0);
  }

  private CompletableFuture<String> enqueue() {
    CompletableFuture<String> body = new CompletableFuture<>();
    Request request = new Request.Builder()
        .url("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/messages").build();
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

  @Test
  void aCallQueuedInsideALogicalCallBeginsItsExchangeInsideIt() throws Exception {
    LogicalCall call = LogicalCall.enter();
    CompletableFuture<String> body;
    try {
      body = enqueue();
      call.leaveThread();
      gate.countDown();
      assertEquals("{\"ok\":true}", body.get(20, TimeUnit.SECONDS));
    } finally {
      call.exit(null);
    }
    assertEquals(1, begun.size());
    assertSame(call, begun.get(0)[0]);
    assertNotEquals(Thread.currentThread(), begun.get(0)[1]);
  }

  @Test
  void aCallQueuedOutsideOneBeginsOutside() throws Exception {
    CompletableFuture<String> body = enqueue();
    gate.countDown();
    assertEquals("{\"ok\":true}", body.get(20, TimeUnit.SECONDS));
    assertEquals(1, begun.size());
    assertNull(begun.get(0)[0]);
  }
}
