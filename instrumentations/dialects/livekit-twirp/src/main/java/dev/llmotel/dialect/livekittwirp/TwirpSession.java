package dev.llmotel.dialect.livekittwirp;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;

/**
 * One Twirp call. Keeps the request body's first {@value #MAX_REQUEST_BYTES} bytes (LiveKit's requests are small; a
 * bigger one is seldom one naming a room) to read the room from, as protobuf or, when it starts with '{', JSON. An
 * error answer is Twirp's JSON {@code {code, msg, meta}}: {@code code} becomes {@code error.type}, {@code msg} the
 * status message. A successful answer (protobuf) is not read.
 */
final class TwirpSession implements DialectSession {
  static final int MAX_REQUEST_BYTES = 4096;
  static final int MAX_ROOM_CHARS = 256;
  static final String RPC_SYSTEM = "rpc.system";
  static final String RPC_SERVICE = "rpc.service";
  static final String RPC_METHOD = "rpc.method";
  static final String ROOM_NAME = "llmotel.livekit.room_name";
  private static final JsonLimits REQUEST_LIMITS = JsonLimits.defaults().withMaxStringChars(MAX_ROOM_CHARS)
      .withMaxDepth(2).withMaxArrayElements(4).withMaxRetainedChars(4096);
  private static final JsonLimits ERROR_LIMITS = JsonLimits.defaults().withMaxStringChars(500).withMaxDepth(3)
      .withMaxArrayElements(8).withMaxRetainedChars(8192).withMaxDocumentBytes(64 * 1024);

  private final CallFacts facts = new CallFacts();
  private final RoomField room;
  private byte[] request;
  private int requestLength;
  private boolean requestRead;
  private JsonTreeReader error;

  TwirpSession(String service, String method) {
    this.room = RoomField.of(service, method);
    facts.request.spanName = service + "/" + method;
    facts.response.putExtra(RPC_SYSTEM, "twirp");
    facts.response.putExtra(RPC_SERVICE, service);
    facts.response.putExtra(RPC_METHOD, method);
  }

  @Override
  public CallFacts facts() {
    return facts;
  }

  @Override
  public void onRequestBody(byte[] bytes, int offset, int length) {
    if (room == null || requestRead || requestLength >= MAX_REQUEST_BYTES) return;
    if (request == null) request = new byte[MAX_REQUEST_BYTES];
    int n = Math.min(length, MAX_REQUEST_BYTES - requestLength);
    System.arraycopy(bytes, offset, request, requestLength, n);
    requestLength += n;
  }

  @Override
  public void onRequestBodyEnd() {
    if (requestRead) return;
    requestRead = true;
    if (request == null) return;
    String name = null;
    try {
      int first = 0;
      while (first < requestLength && request[first] <= ' ' && request[first] >= 0) first++;
      if (first < requestLength && request[first] == '{') {
        JsonValue body = JsonTreeReader.parse(request, 0, requestLength, REQUEST_LIMITS);
        if (body != null) {
          for (String field : room.jsonNames) {
            name = body.path(field).asNonEmptyText();
            if (name != null) break;
          }
        }
      } else {
        name = ProtoStrings.find(request, requestLength, room.number, MAX_ROOM_CHARS);
      }
    } catch (RuntimeException ignored) {
      // no room: the span stays as it is
    }
    request = null;
    if (name != null && !name.isEmpty()) facts.response.putExtra(ROOM_NAME, name);
  }

  @Override
  public void onResponse(int statusCode, HeaderLookup headers) {
    onRequestBodyEnd();
    if (statusCode >= 400) error = new JsonTreeReader(ERROR_LIMITS);
  }

  @Override
  public void onResponseBody(byte[] bytes, int offset, int length) {
    if (error != null) error.feed(bytes, offset, length);
  }

  @Override
  public void onResponseEnd(boolean complete) {
    if (error == null) return;
    JsonValue body = error.end();
    error = null;
    if (body == null || !body.isObject()) return;
    String code = body.path("code").asNonEmptyText();
    if (code != null) facts.response.errorType = code;
    String msg = body.path("msg").asNonEmptyText();
    if (msg != null) facts.response.errorMessage = msg;
  }
}
