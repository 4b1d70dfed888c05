package dev.llmotel.hook.okhttpwebsocket;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.exchange.MessageSessions;
import dev.llmotel.testkit.hook.WovenHook;
import dev.llmotel.testkit.websocket.MiniWebSocketServer;
import dev.llmotel.testkit.websocket.RecordingMessageSessions;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OkHttp WebSocket hook with its advice really woven into OkHttp (this module's OkHttp 4.12, 5.5.1 in
 * okhttp-5-tests, 3.14.9 in okhttp-3-tests), against a local RFC 6455 server: every callback reaches the application's listener, in order,
 * with the same socket; the session sees each message once, in order; the upgrade request carries traceparent.
 */
class OkHttpWebSocketHookTest {
  private static final String SECRET = "sk-test-secret-123";
  private final RecordingMessageSessions sessions = new RecordingMessageSessions();
  private MiniWebSocketServer server;
  private OkHttpClient client;

  @BeforeAll
  static void weave() throws Exception {
    // both loaded now, so that a failure to weave shows here
    WovenHook.intoLibrary(OkHttpWebSocketInstrumentation.class)
        .load("okhttp3.OkHttpClient", "okhttp3.internal.ws.RealWebSocket");
  }

  @BeforeEach
  void setUp() throws IOException {
    MessageSessions.install(sessions);
    server = new MiniWebSocketServer(new MiniWebSocketServer.Handler() {
      @Override
      public void onOpen(MiniWebSocketServer.Connection c) throws IOException {
        if ("mode=drop".equals(c.query())) {
          c.drop();
          return;
        }
        c.sendText("hello");
      }

      @Override
      public void onText(MiniWebSocketServer.Connection c, String text) throws IOException {
        if (text.equals("bye")) c.close(1000, "done");
        else if (text.equals("bin")) c.sendBinary(new byte[] {1, 2, 3});
        else if (text.equals("drop")) c.drop();
        else c.sendText("echo:" + text);
      }
    });
    client = new OkHttpClient.Builder().readTimeout(20, TimeUnit.SECONDS).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    MessageSessions.install(null);
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** The application's listener: records every callback, answers the peer's close like a well-behaved app. */
  static class AppListener extends WebSocketListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<WebSocket> sockets = new CopyOnWriteArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);
    final CountDownLatch opened = new CountDownLatch(1);

    @Override
    public void onOpen(WebSocket ws, Response response) {
      sockets.add(ws);
      events.add("open " + response.code());
      opened.countDown();
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      sockets.add(ws);
      events.add("text " + text);
    }

    @Override
    public void onMessage(WebSocket ws, ByteString bytes) {
      sockets.add(ws);
      events.add("bytes " + bytes.hex());
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      sockets.add(ws);
      events.add("closing " + code + " " + reason);
      ws.close(1000, null);
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      sockets.add(ws);
      events.add("closed " + code);
      done.countDown();
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
      sockets.add(ws);
      events.add("failure");
      done.countDown();
    }
  }

  private WebSocket open(String pathAndQuery, AppListener app) {
    Request request = new Request.Builder().url("ws://127.0.0.1:" + server.port() + pathAndQuery)
        .header("Authorization", "Bearer " + SECRET).build();
    return client.newWebSocket(request, app);
  }

  @Test
  void theExpectedOkHttpVersion() throws Exception {
    assertEquals(System.getProperty("okhttp.expected", "4.12.0"), okHttpVersion());
  }

  /** {@code okhttp3.OkHttp.VERSION} (4.x, 5.x), else 3.x's {@code Version.userAgent()}. */
  static String okHttpVersion() throws Exception {
    try {
      return (String) Class.forName("okhttp3.OkHttp").getField("VERSION").get(null);
    } catch (ClassNotFoundException e) {
      String agent = (String) Class.forName("okhttp3.internal.Version").getMethod("userAgent").invoke(null);
      return agent.replace("okhttp/", "");
    }
  }

  @Test
  void theAdviceReferencesOnlyJdkAndBridgeTypes() {
    dev.llmotel.testkit.hook.AdviceChecks.assertOnlyJdkAndBridgeTypes(NewWebSocketAdvice.class, SendAdvice.class);
  }

  @Test
  void theAdviceIsWoven() {
    Set<String> woven = WovenHook.intoLibrary(OkHttpWebSocketInstrumentation.class).woven();
    assertTrue(woven.containsAll(Arrays.asList("okhttp3.OkHttpClient", "okhttp3.internal.ws.RealWebSocket")),
        "woven: " + woven);
  }

  @Test
  void aRealtimeSessionIsSeenAndTheAppGetsEveryCallback() throws Exception {
    AppListener app = new AppListener();
    WebSocket ws = open("/v1/realtime?model=gpt-realtime", app);
    assertTrue(app.opened.await(10, TimeUnit.SECONDS));
    assertTrue(ws.send("a"));
    assertTrue(ws.send(ByteString.of((byte) 9, (byte) 8)));
    assertTrue(ws.send("bin"));
    Thread.sleep(200);
    assertTrue(ws.send("bye"));
    assertTrue(app.done.await(10, TimeUnit.SECONDS));
    assertFalse(ws.send("after close"), "refused, and after the end: not reported");

    assertEquals(Arrays.asList("open 101", "text hello", "text echo:a", "bytes 010203", "closing 1000 done",
        "closed 1000"), app.events);
    for (WebSocket s : app.sockets) assertSame(ws, s, "the app's callbacks get the socket newWebSocket returned");

    assertEquals(1, sessions.sessions.size());
    RecordingMessageSessions.Recording session = sessions.sessions.get(0);
    assertTrue(session.ended.await(5, TimeUnit.SECONDS));
    List<String> events = session.events;
    assertEquals("open 101", events.get(0));
    assertEquals(Arrays.asList("> a", "> 2 bytes", "> bin", "> bye"), filter(events, "> "));
    assertEquals(Arrays.asList("< hello", "< echo:a", "< 3 bytes"), filter(events, "< "));
    assertEquals("closed 1000 done", events.get(events.size() - 1));
    assertTrue(events.indexOf("> a") < events.indexOf("< echo:a"));

    MiniWebSocketServer.Connection c = server.connections().get(0);
    assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", c.headers().get("traceparent"));
    assertEquals("Bearer " + SECRET, c.headers().get("authorization"), "the app's own headers untouched");
    for (long end = System.nanoTime() + 5_000_000_000L; c.received().size() < 5 && System.nanoTime() < end; ) {
      Thread.sleep(10); // the server reads the client's close frame on its own thread
    }
    assertEquals(Arrays.asList("a", "<binary 2>", "bin", "bye", "<close 1000 >"), c.received());
    assertEquals("gpt-realtime", sessions.requests.get(0).query().replace("model=", ""));
    assertEquals("ws", sessions.requests.get(0).scheme());
  }

  @Test
  void aDroppedConnectionFailsTheSessionOnceAndReachesTheApp() throws Exception {
    AppListener app = new AppListener();
    WebSocket ws = open("/v1/realtime?model=m", app);
    assertTrue(app.opened.await(10, TimeUnit.SECONDS));
    ws.send("drop");
    assertTrue(app.done.await(10, TimeUnit.SECONDS));
    assertEquals("failure", app.events.get(app.events.size() - 1));
    RecordingMessageSessions.Recording session = sessions.sessions.get(0);
    assertTrue(session.ended.await(5, TimeUnit.SECONDS));
    assertTrue(session.events.get(session.events.size() - 1).startsWith("failed "), session.events.toString());
    assertEquals(1, session.events.stream().filter(e -> e.startsWith("failed") || e.startsWith("closed")).count());
  }

  @Test
  void whatTheAppsListenerThrowsReachesOkHttpUnchanged() throws Exception {
    RuntimeException bug = new IllegalStateException("app bug");
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AppListener app = new AppListener() {
      @Override
      public void onMessage(WebSocket ws, String text) {
        super.onMessage(ws, text);
        throw bug;
      }

      @Override
      public void onFailure(WebSocket ws, Throwable t, Response response) {
        failures.add(t);
        super.onFailure(ws, t, response);
      }
    };
    open("/v1/realtime", app);
    assertTrue(app.done.await(10, TimeUnit.SECONDS));
    assertEquals(Arrays.asList("open 101", "text hello", "failure"), app.events);
    assertSame(bug, failures.get(0), "OkHttp fails the socket with the app's own exception");
    RecordingMessageSessions.Recording session = sessions.sessions.get(0);
    assertTrue(session.ended.await(5, TimeUnit.SECONDS));
    assertEquals("failed IllegalStateException", session.events.get(session.events.size() - 1));
  }

  @Test
  void aSocketNoDialectWantsIsLeftAlone() throws Exception {
    AppListener app = new AppListener();
    WebSocket ws = open("/chat/socket", app);
    assertTrue(app.opened.await(10, TimeUnit.SECONDS));
    ws.send("bye");
    assertTrue(app.done.await(10, TimeUnit.SECONDS));
    assertEquals(Arrays.asList("open 101", "text hello", "closing 1000 done", "closed 1000"), app.events);
    assertEquals(1, sessions.requests.size());
    assertTrue(sessions.sessions.isEmpty());
    assertNull(server.connections().get(0).headers().get("traceparent"));
  }

  @Test
  void withoutTheAgentReadyNothingChanges() throws Exception {
    MessageSessions.install(null);
    AppListener app = new AppListener();
    WebSocket ws = open("/v1/realtime", app);
    assertTrue(app.opened.await(10, TimeUnit.SECONDS));
    ws.send("bye");
    assertTrue(app.done.await(10, TimeUnit.SECONDS));
    assertEquals(Arrays.asList("open 101", "text hello", "closing 1000 done", "closed 1000"), app.events);
    assertNull(server.connections().get(0).headers().get("traceparent"));
  }

  private static List<String> filter(List<String> events, String prefix) {
    List<String> out = new java.util.ArrayList<>();
    for (String e : events) if (e.startsWith(prefix)) out.add(e);
    return out;
  }
}
