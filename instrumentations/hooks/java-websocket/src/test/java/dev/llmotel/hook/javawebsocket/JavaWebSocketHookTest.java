package dev.llmotel.hook.javawebsocket;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.testkit.hook.WovenHook;
import dev.llmotel.testkit.websocket.MiniWebSocketServer;
import dev.llmotel.testkit.websocket.RecordingMessageSessions;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The java.net.http WebSocket hook with its advice really woven into the JDK's classes, against a local RFC 6455
 * server: every listener callback reaches the application's listener with the same socket and arguments, partial
 * messages stay partial, the application's request(n) alone decides what is delivered, and the session sees each
 * message once, in order.
 */
class JavaWebSocketHookTest {
  private final RecordingMessageSessions sessions = new RecordingMessageSessions();
  private MiniWebSocketServer server;
  private HttpClient client;

  @BeforeAll
  static void weave() throws Exception {
    woven();
  }

  @BeforeEach
  void setUp() throws IOException {
    dev.llmotel.exchange.MessageSessions.install(sessions);
    server = new MiniWebSocketServer(new MiniWebSocketServer.Handler() {
      @Override
      public void onOpen(MiniWebSocketServer.Connection c) throws IOException {
        c.sendText("hello");
      }

      @Override
      public void onText(MiniWebSocketServer.Connection c, String text) throws IOException {
        switch (text) {
          case "bye": c.close(1000, "done"); break;
          case "bin": c.sendBinary(new byte[] {1, 2, 3}); break;
          case "ping": c.ping(new byte[] {7}); c.pong(new byte[] {6}); break;
          case "parts": c.sendTextFragments("ab", "cd", "ef"); break;
          case "three": c.sendText("m1"); c.sendText("m2"); c.sendText("m3"); break;
          case "drop": c.drop(); break;
          default: c.sendText("echo:" + text);
        }
      }
    });
    client = HttpClient.newHttpClient();
  }

  @AfterEach
  void tearDown() throws IOException {
    dev.llmotel.exchange.MessageSessions.install(null);
    server.close();
  }

  /** The application's listener: records every callback; requests one message at a time unless told otherwise. */
  static class AppListener implements WebSocket.Listener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<WebSocket> sockets = new CopyOnWriteArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);
    volatile boolean autoRequest = true;

    @Override
    public void onOpen(WebSocket ws) {
      sockets.add(ws);
      events.add("open");
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      sockets.add(ws);
      events.add("text " + data + (last ? "" : " …"));
      if (autoRequest) ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      sockets.add(ws);
      events.add("binary " + data.remaining());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
      sockets.add(ws);
      events.add("ping " + message.get(0));
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
      sockets.add(ws);
      events.add("pong " + message.get(0));
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      sockets.add(ws);
      events.add("close " + statusCode + " " + reason);
      done.countDown();
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      sockets.add(ws);
      events.add("error");
      done.countDown();
    }
  }

  private WebSocket open(String pathAndQuery, WebSocket.Listener app) throws Exception {
    return client.newWebSocketBuilder().header("Authorization", "Bearer sk-secret")
        .buildAsync(server.uri(pathAndQuery), app).get(10, TimeUnit.SECONDS);
  }

  @Test
  void theAdviceReferencesOnlyJdkAndBridgeTypes() {
    dev.llmotel.testkit.hook.AdviceChecks.assertOnlyJdkAndBridgeTypes(BuildAsyncAdvice.class, SendAdvice.class,
        AbortAdvice.class);
  }

  @Test
  void theAdviceIsWoven() throws Exception {
    assertEquals(Set.of("jdk.internal.net.http.websocket.BuilderImpl",
        "jdk.internal.net.http.websocket.WebSocketImpl"), woven().woven());
  }

  /** The JDK's WebSocket classes retransformed with the advice (once per JVM, before a bridge class is touched). */
  private static WovenHook woven() throws Exception {
    return WovenHook.intoJdk(JavaWebSocketInstrumentation.class, java.net.http.HttpClient.class,
        ClassLoader.getPlatformClassLoader());
  }

  @Test
  void aRealtimeSessionIsSeenAndTheAppGetsEveryCallback() throws Exception {
    AppListener app = new AppListener();
    WebSocket ws = open("/v1/realtime?model=gpt-realtime", app);
    ws.sendText("a", true).get(5, TimeUnit.SECONDS);
    ws.sendBinary(ByteBuffer.wrap(new byte[] {9, 8}), true).get(5, TimeUnit.SECONDS);
    ws.sendText("b", true).get(5, TimeUnit.SECONDS);
    ws.sendText("in", true).get(5, TimeUnit.SECONDS);
    ws.sendText("par", false).get(5, TimeUnit.SECONDS);
    ws.sendText("ts", true).get(5, TimeUnit.SECONDS);
    ws.sendText("ping", true).get(5, TimeUnit.SECONDS);
    ws.sendText("bin", true).get(5, TimeUnit.SECONDS);
    Thread.sleep(300);
    ws.sendText("bye", true).get(5, TimeUnit.SECONDS);
    assertTrue(app.done.await(10, TimeUnit.SECONDS));
    // the JDK answered the server's close itself once onClose's stage completed

    assertEquals(Arrays.asList("open", "text hello", "text echo:a", "text echo:b", "text echo:in", "text ab …",
        "text cd …", "text ef", "ping 7", "pong 6", "binary 3", "close 1000 done"), app.events);
    for (WebSocket s : app.sockets) assertSame(ws, s, "the app's callbacks get the socket buildAsync returned");

    RecordingMessageSessions.Recording session = sessions.sessions.get(0);
    assertTrue(session.ended.await(5, TimeUnit.SECONDS));
    checkByDirection(session.events);
    assertEquals("/v1/realtime", sessions.requests.get(0).path());
    assertEquals("model=gpt-realtime", sessions.requests.get(0).query());
    assertEquals(Arrays.asList("a", "<binary 2>", "b", "in", "parts", "ping", "bin", "bye", "<close 1000 >"),
        waitFor(server.connections().get(0).received(), 9));
  }

  /** Sent and received interleave by thread timing; each direction's order is what is asserted. */
  private static void checkByDirection(List<String> events) {
    List<String> sent = new ArrayList<>();
    List<String> received = new ArrayList<>();
    for (String e : events) if (e.startsWith("> ")) sent.add(e); else if (e.startsWith("< ")) received.add(e);
    List<String> expectedSent = Arrays.asList("> a", "> 2 bytes", "> b", "> in", "> par …", "> ts", "> ping", "> bin",
        "> bye");
    List<String> expectedReceived = Arrays.asList("< hello", "< echo:a", "< echo:b", "< echo:in", "< ab …", "< cd …",
        "< ef", "< 3 bytes");
    assertEquals(expectedSent, sent);
    assertEquals(expectedReceived, received);
    assertEquals("open 101", events.get(0));
    assertEquals("closed 1000 done", events.get(events.size() - 1));
    assertEquals(expectedSent.size() + expectedReceived.size() + 2, events.size());
  }

  @Test
  void theAppsRequestAloneDecidesWhatIsDelivered() throws Exception {
    AppListener app = new AppListener();
    app.autoRequest = false;
    WebSocket ws = open("/v1/realtime", app);
    // onOpen requested 1: "hello"; nothing more until the app asks
    ws.sendText("three", true).get(5, TimeUnit.SECONDS);
    Thread.sleep(300);
    assertEquals(Arrays.asList("open", "text hello"), app.events);
    ws.request(2);
    Thread.sleep(300);
    assertEquals(Arrays.asList("open", "text hello", "text m1", "text m2"), app.events);
    ws.request(1);
    Thread.sleep(300);
    assertEquals(Arrays.asList("open", "text hello", "text m1", "text m2", "text m3"), app.events);
    ws.abort();
    RecordingMessageSessions.Recording session = sessions.sessions.get(0);
    assertTrue(session.ended.await(5, TimeUnit.SECONDS));
    assertEquals("closed 1006 aborted", session.events.get(session.events.size() - 1));
  }

  @Test
  void theAppsOwnStageGoesBackToTheJdk() throws Exception {
    CompletableFuture<Void> hold = new CompletableFuture<>();
    List<CharSequence> texts = new CopyOnWriteArrayList<>();
    AppListener app = new AppListener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        texts.add(data);
        ws.request(1);
        // the JDK may reuse data only once this completes: the agent must hand back this very stage
        return hold;
      }
    };
    WebSocket ws = open("/v1/realtime", app);
    ws.sendText("a", true).get(5, TimeUnit.SECONDS);
    Thread.sleep(200);
    assertEquals("hello", texts.get(0).toString());
    hold.complete(null);
    ws.sendText("bye", true).get(5, TimeUnit.SECONDS);
    assertTrue(app.done.await(10, TimeUnit.SECONDS));
    assertEquals(Arrays.asList("hello", "echo:a"), texts.stream().map(CharSequence::toString).limit(2).toList());
  }

  @Test
  void eachCallbackReturnsTheAppsOwnStage() {
    CompletableFuture<Void> text = new CompletableFuture<>();
    CompletableFuture<Void> binary = new CompletableFuture<>();
    CompletableFuture<Void> ping = new CompletableFuture<>();
    CompletableFuture<Void> pong = new CompletableFuture<>();
    CompletableFuture<Void> close = new CompletableFuture<>();
    WebSocket.Listener app = new WebSocket.Listener() {
      @Override public CompletionStage<?> onText(WebSocket ws, CharSequence d, boolean last) { return text; }
      @Override public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer d, boolean last) { return binary; }
      @Override public CompletionStage<?> onPing(WebSocket ws, ByteBuffer m) { return ping; }
      @Override public CompletionStage<?> onPong(WebSocket ws, ByteBuffer m) { return pong; }
      @Override public CompletionStage<?> onClose(WebSocket ws, int code, String reason) { return close; }
    };
    RecordingMessageSessions.Recording session = new RecordingMessageSessions.Recording();
    TracingListener tracing = new TracingListener(app, session);
    assertSame(text, tracing.onText(null, "x", false));
    assertSame(binary, tracing.onBinary(null, ByteBuffer.allocate(3), true));
    assertSame(ping, tracing.onPing(null, ByteBuffer.allocate(1)));
    assertSame(pong, tracing.onPong(null, ByteBuffer.allocate(1)));
    assertSame(close, tracing.onClose(null, 1000, "bye"));
    assertEquals(Arrays.asList("< x …", "< 3 bytes", "closed 1000 bye"), session.events);
  }

  @Test
  void aDroppedConnectionReachesTheAppsOnErrorAndFailsTheSessionOnce() throws Exception {
    AppListener app = new AppListener();
    WebSocket ws = open("/v1/realtime", app);
    ws.sendText("drop", true).get(5, TimeUnit.SECONDS);
    assertTrue(app.done.await(10, TimeUnit.SECONDS));
    assertEquals("error", app.events.get(app.events.size() - 1));
    RecordingMessageSessions.Recording session = sessions.sessions.get(0);
    assertTrue(session.ended.await(5, TimeUnit.SECONDS));
    assertTrue(session.events.get(session.events.size() - 1).startsWith("failed"), session.events.toString());
  }

  @Test
  void aFailedHandshakeFailsTheSession() throws Exception {
    AppListener app = new AppListener();
    ExecutionException e = assertThrows(ExecutionException.class, () -> client.newWebSocketBuilder()
        .buildAsync(java.net.URI.create("ws://127.0.0.1:1/v1/realtime"), app).get(10, TimeUnit.SECONDS));
    assertNotNull(e.getCause());
    RecordingMessageSessions.Recording session = sessions.sessions.get(0);
    assertTrue(session.ended.await(5, TimeUnit.SECONDS));
    assertEquals(1, session.events.size());
    assertTrue(session.events.get(0).startsWith("failed"));
    assertTrue(app.events.isEmpty());
  }

  @Test
  void aSocketNoDialectWantsIsLeftAlone() throws Exception {
    AppListener app = new AppListener();
    WebSocket ws = open("/chat", app);
    ws.sendText("bye", true).get(5, TimeUnit.SECONDS);
    assertTrue(app.done.await(10, TimeUnit.SECONDS));
    assertEquals(Arrays.asList("open", "text hello", "close 1000 done"), app.events);
    assertTrue(sessions.sessions.isEmpty());
    assertEquals(1, sessions.requests.size());
  }

  private static List<String> waitFor(List<String> list, int size) throws InterruptedException {
    for (long end = System.nanoTime() + 5_000_000_000L; list.size() < size && System.nanoTime() < end; ) {
      Thread.sleep(10);
    }
    return list;
  }
}
