package dev.llmotel.it.app.realtime;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * A voice-agent-like app on OpenAI's Realtime API: {@code RealtimeApp <ws base url> <okhttp|jdk>}. Under one span of
 * its own ({@code realtime-app}) it opens three sessions in turn:
 * <ol>
 *   <li>a session update, a spoken response, then a text-only response; closes with 1000;</li>
 *   <li>({@code mode=error}) a response the server refuses with an {@code error} event; closes with 1000;</li>
 *   <li>({@code mode=close-mid}) a response the server cuts short by closing the socket (1011);</li>
 *   <li>a text response, after which the app exits with the socket still open.</li>
 * </ol>
 * Prints the event types it received (deltas counted) and how each session closed; the last line is {@code done}.
 */
public final class RealtimeApp {
  static final String API_KEY = "sk-realtime-secret-4242";

  /** What the app sees of a socket: each message, then how it closed ("close code reason" / "failure ..."). */
  interface Socket {
    void send(String text);

    void close();
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String client = args.length > 1 ? args[1] : "okhttp";
    Tracer tracer = GlobalOpenTelemetry.getTracer("realtime-app");
    Span span = tracer.spanBuilder("realtime-app").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      normalSession(base, client);
      errorSession(base, client);
      closeMidResponse(base, client);
      leftOpen(base, client);
    } finally {
      span.end();
    }
    System.out.println("done");
    System.exit(0);
  }

  static void normalSession(String base, String client) throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    Socket s = open(client, base + "/v1/realtime?model=gpt-realtime", events);
    List<String> seen = new ArrayList<>();
    await(events, "session.created", seen);
    s.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"instructions\":\"Be brief.\"}}");
    await(events, "session.updated", seen);
    s.send("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\",\"content\":"
        + "[{\"type\":\"input_text\",\"text\":\"Say hello\"}]}}");
    s.send("{\"type\":\"response.create\"}");
    await(events, "response.done", seen);
    s.send("{\"type\":\"response.create\",\"response\":{\"output_modalities\":[\"text\"]}}");
    await(events, "response.done", seen);
    s.close();
    await(events, "closed", seen);
    print("session 1", seen);
  }

  static void errorSession(String base, String client) throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    Socket s = open(client, base + "/v1/realtime?model=gpt-realtime&mode=error", events);
    List<String> seen = new ArrayList<>();
    await(events, "session.created", seen);
    s.send("{\"type\":\"response.create\",\"event_id\":\"evt_create_refused\"}");
    await(events, "error", seen);
    s.close();
    await(events, "closed", seen);
    print("session 2", seen);
  }

  static void closeMidResponse(String base, String client) throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    Socket s = open(client, base + "/v1/realtime?model=gpt-realtime&mode=close-mid", events);
    List<String> seen = new ArrayList<>();
    await(events, "session.created", seen);
    s.send("{\"type\":\"response.create\"}");
    await(events, "closed", seen);
    print("session 3", seen);
  }

  /** A session the app never closes: it exits with the socket open (the agent ends the session at exit). */
  static void leftOpen(String base, String client) throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    Socket s = open(client, base + "/v1/realtime?model=gpt-realtime", events);
    List<String> seen = new ArrayList<>();
    await(events, "session.created", seen);
    s.send("{\"type\":\"response.create\",\"response\":{\"output_modalities\":[\"text\"]}}");
    await(events, "response.done", seen);
    print("session 4", seen);
  }

  /** Collapses runs of the same event ("response.output_audio.delta x2"). */
  static void print(String name, List<String> seen) {
    StringBuilder line = new StringBuilder(name).append(':');
    for (int i = 0; i < seen.size(); ) {
      int j = i;
      while (j < seen.size() && seen.get(j).equals(seen.get(i))) j++;
      line.append(' ').append(seen.get(i)).append(j - i > 1 ? " x" + (j - i) : "").append(j < seen.size() ? "," : "");
      i = j;
    }
    System.out.println(line);
  }

  static void await(BlockingQueue<String> events, String type, List<String> seen) throws InterruptedException {
    while (true) {
      String e = events.poll(20, TimeUnit.SECONDS);
      if (e == null) throw new IllegalStateException("timed out waiting for " + type + " after " + seen);
      seen.add(e);
      if (e.equals(type) || (type.equals("closed") && e.startsWith("closed"))) return;
    }
  }

  static String typeOf(String json) {
    int i = json.indexOf("\"type\":\"");
    if (i < 0) return "?";
    int start = i + 8;
    return json.substring(start, json.indexOf('"', start));
  }

  static Socket open(String client, String url, BlockingQueue<String> events) throws Exception {
    return client.equals("jdk") ? openJdk(url, events) : openOkHttp(url, events);
  }

  private static OkHttpClient okHttp;

  static Socket openOkHttp(String url, BlockingQueue<String> events) {
    if (okHttp == null) okHttp = new OkHttpClient.Builder().readTimeout(30, TimeUnit.SECONDS).build();
    Request request = new Request.Builder().url(url).header("Authorization", "Bearer " + API_KEY)
        .header("OpenAI-Beta", "realtime=v1").build();
    okhttp3.WebSocket ws = okHttp.newWebSocket(request, new WebSocketListener() {
      @Override
      public void onMessage(okhttp3.WebSocket webSocket, String text) {
        events.add(typeOf(text));
      }

      @Override
      public void onMessage(okhttp3.WebSocket webSocket, ByteString bytes) {
        events.add("binary");
      }

      @Override
      public void onClosing(okhttp3.WebSocket webSocket, int code, String reason) {
        webSocket.close(1000, null);
      }

      @Override
      public void onClosed(okhttp3.WebSocket webSocket, int code, String reason) {
        events.add("closed " + code + (reason.isEmpty() ? "" : " " + reason));
      }

      @Override
      public void onFailure(okhttp3.WebSocket webSocket, Throwable t, Response response) {
        events.add("closed failure " + t.getClass().getSimpleName());
      }
    });
    return new Socket() {
      @Override public void send(String text) { ws.send(text); }
      @Override public void close() { ws.close(1000, "bye"); }
    };
  }

  static Socket openJdk(String url, BlockingQueue<String> events) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    WebSocket ws = client.newWebSocketBuilder().header("Authorization", "Bearer " + API_KEY)
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              events.add(typeOf(partial.toString()));
              partial.setLength(0);
            }
            webSocket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            events.add("binary");
            webSocket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add("closed " + statusCode + (reason.isEmpty() ? "" : " " + reason));
            return null;
          }

          @Override
          public void onError(WebSocket webSocket, Throwable error) {
            events.add("closed failure " + error.getClass().getSimpleName());
          }
        }).get(20, TimeUnit.SECONDS);
    return new Socket() {
      @Override
      public void send(String text) {
        ws.sendText(text, true).join();
      }

      @Override
      public void close() {
        ws.sendClose(1000, "bye").join();
      }
    };
  }
}
