package dev.llmotel.it.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmotel.testkit.websocket.MiniWebSocketServer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenAI's Realtime API over WebSocket, simulated on {@code ws://127.0.0.1:port/v1/realtime?model=...&mode=...} (the
 * JDK's HttpServer under {@link LlmSimulator} cannot upgrade, so this runs on the testkit's {@link
 * MiniWebSocketServer}, a minimal RFC 6455 server). On open it sends {@code session.created}; it answers {@code
 * session.update} with {@code session.updated}, and each {@code response.create} according to {@code mode}:
 * <ul>
 *   <li>{@code normal} (default): {@code response.created}, then two {@code response.output_audio.delta} and one
 *       {@code response.output_audio_transcript.delta} (or, when the request's {@code response.output_modalities}
 *       is {@code ["text"]}, three {@code response.output_text.delta}), then {@code response.done} with usage;</li>
 *   <li>{@code error}: an {@code error} event ({@code invalid_request_error} / {@code invalid_value}) whose
 *       {@code error.event_id} is the {@code response.create}'s {@code event_id}, as the API's;</li>
 *   <li>{@code close-mid}: {@code response.created}, one audio delta, then a close frame 1011 mid-response.</li>
 * </ul>
 * Usage of the n-th response of a session: input 100+n (text 60, audio 40+n, cached 32), output 200+n (text 50,
 * audio 150+n).
 */
public final class RealtimeSimulator implements AutoCloseable {
  public static final String SESSION_MODEL = "gpt-realtime-2025-08-28";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger SESSIONS = new AtomicInteger();
  private static final java.util.Map<MiniWebSocketServer.Connection, String> SESSION_IDS =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
  private final MiniWebSocketServer server;

  private RealtimeSimulator() throws IOException {
    this.server = new MiniWebSocketServer(new Handler());
  }

  public static RealtimeSimulator start() throws IOException {
    return new RealtimeSimulator();
  }

  /** {@code ws://127.0.0.1:port} */
  public String baseUrl() {
    return "ws://127.0.0.1:" + server.port();
  }

  public int port() {
    return server.port();
  }

  /** The connections so far: their upgrade headers and the messages the clients sent. */
  public List<MiniWebSocketServer.Connection> connections() {
    return server.connections();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private static String mode(MiniWebSocketServer.Connection c) {
    String q = c.query() == null ? "" : c.query();
    for (String pair : q.split("&")) if (pair.startsWith("mode=")) return pair.substring(5);
    return "normal";
  }

  private static final class Handler implements MiniWebSocketServer.Handler {
    @Override
    public void onOpen(MiniWebSocketServer.Connection c) throws IOException {
      dev.llmotel.it.otlp.SecretScan.requestHeaders(c.headers());
      if (!c.path().endsWith("/realtime")) {
        c.close(1008, "unknown route");
        return;
      }
      String id = "sess_sim_" + SESSIONS.incrementAndGet();
      SESSION_IDS.put(c, id);
      c.sendText("{\"type\":\"session.created\",\"event_id\":\"event_1\",\"session\":{\"id\":\"" + id + "\",\"object\":\"realtime.session\",\"type\":\"realtime\",\"model\":\""
          + SESSION_MODEL + "\",\"output_modalities\":[\"audio\"],\"instructions\":\"You are a helpful voice.\"}}");
    }

    @Override
    public void onText(MiniWebSocketServer.Connection c, String text) throws IOException {
      JsonNode event;
      try {
        event = JSON.readTree(text);
      } catch (IOException e) {
        c.sendText("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_json\"}}");
        return;
      }
      String type = event.path("type").asText();
      if (type.equals("session.update")) {
        c.sendText("{\"type\":\"session.updated\",\"event_id\":\"event_su\",\"session\":{\"id\":\""
            + SESSION_IDS.get(c) + "\",\"model\":\"" + SESSION_MODEL + "\"}}");
        return;
      }
      if (!type.equals("response.create")) return;
      String mode = mode(c);
      if (mode.equals("error")) {
        String eventId = event.hasNonNull("event_id") ? event.get("event_id").toString() : "null";
        c.sendText("{\"type\":\"error\",\"event_id\":\"event_err\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"code\":\"invalid_value\",\"message\":\"Invalid value: 'loud'. Supported values are: 'alloy'.\","
            + "\"param\":\"session.voice\",\"event_id\":" + eventId + "}}");
        return;
      }
      int n = (int) c.received().stream().filter(m -> m.contains("\"response.create\"")).count();
      String id = "resp_sim_" + n;
      c.sendText("{\"type\":\"response.created\",\"event_id\":\"event_rc" + n + "\",\"response\":{\"object\":"
          + "\"realtime.response\",\"id\":\"" + id + "\",\"status\":\"in_progress\",\"output\":[]}}");
      boolean textOnly = event.path("response").path("output_modalities").toString().equals("[\"text\"]");
      if (mode.equals("close-mid")) {
        c.sendText(audioDelta(id, 0));
        c.close(1011, "server error");
        return;
      }
      if (textOnly) {
        for (String piece : new String[] {"Hel", "lo", "!"}) {
          c.sendText("{\"type\":\"response.output_text.delta\",\"event_id\":\"event_td\",\"response_id\":\"" + id
              + "\",\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + piece + "\"}");
        }
      } else {
        c.sendText(audioDelta(id, 0));
        c.sendText("{\"type\":\"response.output_audio_transcript.delta\",\"event_id\":\"event_tr\",\"response_id\":\""
            + id + "\",\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hello\"}");
        c.sendText(audioDelta(id, 1));
      }
      c.sendText("{\"type\":\"response.done\",\"event_id\":\"event_rd" + n + "\",\"response\":{\"object\":"
          + "\"realtime.response\",\"id\":\"" + id + "\",\"status\":\"completed\",\"status_details\":null,"
          + "\"output\":[{\"id\":\"item_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":"
          + (textOnly ? "\"output_text\",\"text\":\"Hello!\"" : "\"output_audio\",\"transcript\":\"Hello\"")
          + "}]}],\"usage\":{\"total_tokens\":" + (300 + 2 * n) + ",\"input_tokens\":" + (100 + n)
          + ",\"output_tokens\":" + (200 + n) + ",\"input_token_details\":{\"text_tokens\":60,\"audio_tokens\":"
          + (40 + n) + ",\"cached_tokens\":32},\"output_token_details\":{\"text_tokens\":50,\"audio_tokens\":"
          + (150 + n) + "}}}}");
    }

    private static String audioDelta(String id, int i) {
      return "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_ad" + i + "\",\"response_id\":\"" + id
          + "\",\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0,\"delta\":\""
          + "UklGRiQAAABXQVZFZm10IBAAAAABAAEAwF0AAIC7AAACABAAZGF0YQAAAAA=".repeat(8) + "\"}";
    }
  }
}
