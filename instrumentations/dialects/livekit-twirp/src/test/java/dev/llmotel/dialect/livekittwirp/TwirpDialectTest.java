package dev.llmotel.dialect.livekittwirp;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.testkit.dialect.SessionRuns;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TwirpDialectTest {
  static DialectSession open(String method, String path) {
    return new TwirpDialect().open(new ExchangeRequest(method, "https", "my-project.livekit.cloud", 443, path, null,
        HeaderLookup.NONE), DialectContext.defaults());
  }

  static CallFacts run(String path, byte[] request, int status, String contentType, String response, int piece) {
    HeaderLookup headers = name -> name.equalsIgnoreCase("content-type") ? contentType : null;
    return SessionRuns.run(open("POST", path), request, status, headers, response.getBytes(StandardCharsets.UTF_8),
        piece, true);
  }

  /** A protobuf message: (field, wire type 2, string) pairs, plus a varint and a fixed64 field before them. */
  static byte[] proto(Object... fieldsAndStrings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(7 << 3); // field 7, varint 300
    out.write(0xAC);
    out.write(0x02);
    out.write((9 << 3) | 1); // field 9, fixed64
    out.write(new byte[8], 0, 8);
    for (int i = 0; i < fieldsAndStrings.length; i += 2) {
      byte[] s = ((String) fieldsAndStrings[i + 1]).getBytes(StandardCharsets.UTF_8);
      out.write(((Integer) fieldsAndStrings[i] << 3) | 2);
      int n = s.length;
      while (n >= 0x80) {
        out.write((n & 0x7F) | 0x80);
        n >>>= 7;
      }
      out.write(n);
      out.write(s, 0, s.length);
    }
    return out.toByteArray();
  }

  @Test
  void opensOnLiveKitTwirpRoutesOnly() {
    assertNotNull(open("POST", "/twirp/livekit.RoomService/CreateRoom"));
    assertNotNull(open("POST", "/proxy/twirp/livekit.SIP/CreateSIPParticipant"));
    assertNull(open("GET", "/twirp/livekit.RoomService/ListRooms"));
    assertNull(open("POST", "/twirp/other.Service/Do"));
    assertNull(open("POST", "/twirp/livekit.RoomService"));
    assertNull(open("POST", "/twirp/livekit.RoomService/"));
    assertNull(open("POST", "/v1/chat/completions"));
  }

  @Test
  void aProtobufCreateRoomIsAPlainRpcSpanWithTheRoom() {
    byte[] body = proto(3, "node-1", 1, "voice-room-42");
    for (int piece : new int[] {1, 3, 1000}) {
      CallFacts f = run("/twirp/livekit.RoomService/CreateRoom", body, 200, "application/protobuf", "\u0000\u0001",
          piece);
      assertEquals("livekit.RoomService/CreateRoom", f.request.spanName);
      assertNull(f.request.operationName, "not a GenAI operation");
      assertEquals("twirp", f.response.extra().get("rpc.system"));
      assertEquals("livekit.RoomService", f.response.extra().get("rpc.service"));
      assertEquals("CreateRoom", f.response.extra().get("rpc.method"));
      assertEquals("voice-room-42", f.response.extra().get("llmotel.livekit.room_name"));
      assertNull(f.response.errorType);
    }
  }

  @Test
  void theRoomFieldDependsOnTheMethod() {
    byte[] dispatch = proto(1, "my-agent", 2, "room-a", 3, "{}");
    assertEquals("room-a", run("/twirp/livekit.AgentDispatchService/CreateDispatch", dispatch, 200, null, "", 2)
        .response.extra().get("llmotel.livekit.room_name"));
    byte[] sip = proto(1, "trunk", 2, "+15550100", 3, "call-room");
    assertEquals("call-room", run("/twirp/livekit.SIP/CreateSIPParticipant", sip, 200, null, "", 5)
        .response.extra().get("llmotel.livekit.room_name"));
    assertNull(run("/twirp/livekit.RoomService/ListRooms", proto(1, "a", 1, "b"), 200, null, "", 5)
        .response.extra().get("llmotel.livekit.room_name"), "ListRooms names no single room");
    assertNull(run("/twirp/livekit.RoomService/CreateRoom", proto(2, "x"), 200, null, "", 5)
        .response.extra().get("llmotel.livekit.room_name"));
  }

  @Test
  void aJsonRequestNamesItsRoomToo() {
    byte[] json = "{\"room\":\"json-room\",\"identity\":\"agent\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals("json-room", run("/twirp/livekit.RoomService/RemoveParticipant", json, 200, "application/json",
        "{}", 4).response.extra().get("llmotel.livekit.room_name"));
    byte[] egress = " {\"roomName\":\"rec\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals("rec", run("/twirp/livekit.Egress/StartRoomCompositeEgress", egress, 200, null, "{}", 4)
        .response.extra().get("llmotel.livekit.room_name"));
  }

  @Test
  void aTwirpErrorGivesItsCodeAndMessage() {
    CallFacts f = run("/twirp/livekit.RoomService/DeleteRoom", proto(1, "gone"), 404, "application/json",
        "{\"code\":\"not_found\",\"msg\":\"requested room does not exist\",\"meta\":{\"room\":\"gone\"}}", 7);
    assertEquals("not_found", f.response.errorType);
    assertEquals("requested room does not exist", f.response.errorMessage);
    assertEquals(404, f.response.httpStatus);
    CallFacts unauthenticated = run("/twirp/livekit.RoomService/ListRooms", new byte[0], 401, null,
        "{\"code\":\"unauthenticated\",\"msg\":\"invalid token\"}", 100);
    assertEquals("unauthenticated", unauthenticated.response.errorType);
    CallFacts garbage = run("/twirp/livekit.RoomService/ListRooms", new byte[0], 503, "text/html",
        "<html>bad gateway", 100);
    assertEquals("503", garbage.response.errorType, "the status when the body is no Twirp error");
  }

  @Test
  void malformedTruncatedAndHugeRequestsDegradeOnly() {
    byte[] body = proto(1, "voice-room-42");
    byte[] cut = java.util.Arrays.copyOf(body, body.length - 3);
    assertNull(run("/twirp/livekit.RoomService/CreateRoom", cut, 200, null, "", 2).response.extra()
        .get("llmotel.livekit.room_name"));
    byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0B, 0x0C};
    assertNull(run("/twirp/livekit.RoomService/CreateRoom", garbage, 200, null, "", 2).response.extra()
        .get("llmotel.livekit.room_name"));
    assertNull(run("/twirp/livekit.RoomService/CreateRoom", "{\"name\":".getBytes(StandardCharsets.UTF_8), 200,
        null, "", 2).response.extra().get("llmotel.livekit.room_name"));
    // a room after 4 KiB of metadata is not looked for; a huge body is never kept whole
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 100_000; i++) big.append('m');
    byte[] huge = proto(4, big.toString(), 1, "late-room");
    CallFacts f = run("/twirp/livekit.RoomService/CreateRoom", huge, 200, null, "", 8192);
    assertNull(f.response.extra().get("llmotel.livekit.room_name"));
    assertEquals("livekit.RoomService/CreateRoom", f.request.spanName);
  }

  @Test
  void protoStringsReadsLongLengths() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 300; i++) s.append('r');
    byte[] body = proto(1, s.toString());
    assertEquals(256, ProtoStrings.find(body, body.length, 1, 256).length());
  }
}
