package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectCall;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Drives a Responses session as the agent does (through {@link DialectCall}), bodies fed in pieces of a chosen size. */
final class Calls {
  static final String SSE = "text/event-stream; charset=utf-8";
  static final String JSON = "application/json";
  static final String ROUTE = "/v1/responses";

  private Calls() {}

  static DialectSession open(DialectContext context) {
    return new OpenAiResponsesDialect().open(new ExchangeRequest("POST", "https", "api.openai.com", 443, ROUTE, null,
        HeaderLookup.NONE), context);
  }

  static CallFacts run(String requestBody, int status, String contentType, String responseBody, int pieceSize,
      boolean complete) {
    return run(open(DialectContext.defaults()), requestBody, status, contentType, responseBody, pieceSize, complete);
  }

  static CallFacts run(DialectSession s, String requestBody, int status, String contentType, String responseBody,
      int pieceSize, boolean complete) {
    DialectCall call = new DialectCall(s);
    feed(call, requestBody.getBytes(StandardCharsets.UTF_8), pieceSize, true);
    call.requestBodyEnd();
    call.response(status, name -> name.equalsIgnoreCase("content-type") ? contentType : null);
    if (!feed(call, responseBody.getBytes(StandardCharsets.UTF_8), pieceSize, false)) call.responseEnd(complete);
    return call.facts();
  }

  /** @return true when the call ended on the protocol's end marker (the rest is not fed, as in the agent) */
  private static boolean feed(DialectCall call, byte[] bytes, int pieceSize, boolean request) {
    for (int pos = 0; pos < bytes.length; pos += pieceSize) {
      byte[] piece = Arrays.copyOfRange(bytes, pos, Math.min(bytes.length, pos + pieceSize));
      boolean over = false;
      if (request) call.requestBody(0, piece, 0, piece.length);
      else over = call.responseBody(0, piece, 0, piece.length);
      Arrays.fill(piece, (byte) '#');
      if (over) return true;
    }
    return false;
  }

  /** An SSE event as the API sends it: {@code event:} line with the data's type, one {@code data:} line. */
  static String event(String json) {
    int at = json.indexOf("\"type\":\"") + 8;
    return "event: " + json.substring(at, json.indexOf('"', at)) + "\ndata: " + json + "\n\n";
  }
}
