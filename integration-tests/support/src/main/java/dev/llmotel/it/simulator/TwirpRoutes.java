package dev.llmotel.it.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * LiveKit's server API over Twirp ({@code POST /twirp/livekit.{Service}/{Method}}, protobuf bodies), enough for
 * {@code io.livekit:livekit-server}'s {@code RoomServiceClient}:
 * <ul>
 *   <li>{@code RoomService/CreateRoom}: the room ({@code sid} {@value #ROOM_SID}, the requested name);
 *       the name {@value #MISSING_ROOM} gets a Twirp {@code not_found} error instead;</li>
 *   <li>{@code RoomService/ListRooms}: one room, {@value #LISTED_ROOM};</li>
 *   <li>anything else, or a request without a Bearer token: a Twirp error ({@code bad_route} 404,
 *       {@code unauthenticated} 401).</li>
 * </ul>
 * The request's protobuf is read from the recorded body (the simulator keeps bodies as UTF-8 text; the names used
 * here are ASCII, so their bytes survive).
 */
public final class TwirpRoutes implements ProviderRoutes {
  public static final String ROOM_SID = "RM_simVoice01";
  public static final String LISTED_ROOM = "lobby";
  public static final String MISSING_ROOM = "sim-missing";

  @Override
  public boolean handles(RecordedRequest request) {
    return request.path().startsWith("/twirp/livekit.");
  }

  @Override
  public void respond(HttpExchange exchange, RecordedRequest request, JsonNode body) throws IOException {
    String auth = String.join(",", request.header("authorization"));
    String method = request.path().substring("/twirp/".length());
    if (!auth.startsWith("Bearer ") || auth.length() < 20) {
      error(exchange, request, 401, "unauthenticated", "missing or invalid access token");
    } else if (method.equals("livekit.RoomService/CreateRoom")) {
      String name = protoString(request.body().getBytes(StandardCharsets.UTF_8), 1);
      if (MISSING_ROOM.equals(name)) {
        error(exchange, request, 404, "not_found", "room " + name + " cannot be created here");
      } else {
        send(exchange, request, room(name == null ? "" : name));
      }
    } else if (method.equals("livekit.RoomService/ListRooms")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      field(out, 1, room(LISTED_ROOM));
      send(exchange, request, out.toByteArray());
    } else {
      error(exchange, request, 404, "bad_route", "no handler for path \"" + request.path() + "\"");
    }
  }

  /** A {@code livekit.Room}: sid (1), name (2), empty_timeout (3). */
  public static byte[] room(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, 1, ROOM_SID.getBytes(StandardCharsets.UTF_8));
    field(out, 2, name.getBytes(StandardCharsets.UTF_8));
    out.write(3 << 3);
    out.write(120);
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, int number, byte[] value) {
    out.write((number << 3) | 2);
    int n = value.length;
    while (n >= 0x80) {
      out.write((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.write(value, 0, value.length);
  }

  /** The first length-delimited field {@code number} of a protobuf message (short fields only), or null. */
  static String protoString(byte[] m, int number) {
    int at = 0;
    while (at + 1 < m.length) {
      int tag = m[at++] & 0xFF;
      int type = tag & 7;
      if (type == 0) {
        while (at < m.length && (m[at++] & 0x80) != 0) { /* skip the varint */ }
      } else if (type == 2) {
        int n = m[at++] & 0xFF;
        if (n >= 0x80 || at + n > m.length) return null;
        if (tag >>> 3 == number) return new String(m, at, n, StandardCharsets.UTF_8);
        at += n;
      } else {
        return null;
      }
    }
    return null;
  }

  private static void send(HttpExchange exchange, RecordedRequest request, byte[] message) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/protobuf");
    request.status(200);
    exchange.sendResponseHeaders(200, message.length == 0 ? -1 : message.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(message);
    }
    request.completed();
  }

  private static void error(HttpExchange exchange, RecordedRequest request, int status, String code, String msg)
      throws IOException {
    byte[] bytes = ("{\"code\":\"" + code + "\",\"msg\":\"" + msg.replace("\"", "\\\"") + "\",\"meta\":{}}")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    request.status(status);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    request.completed();
  }
}
