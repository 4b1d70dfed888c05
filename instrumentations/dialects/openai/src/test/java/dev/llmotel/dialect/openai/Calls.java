package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Drives an OpenAI dialect session the way a hook would, feeding bodies in pieces of a chosen size. */
final class Calls {
  static final String SSE = "text/event-stream; charset=utf-8";
  static final String JSON = "application/json";

  private Calls() {}

  static DialectSession open(String host, int port, String path) {
    ExchangeRequest request = new ExchangeRequest("POST", "https", host, port, path, null, HeaderLookup.NONE);
    return new OpenAiDialect().open(request, DialectContext.defaults());
  }

  static GenAiFacts run(String path, String requestBody, int status, String contentType, String responseBody,
      int pieceSize, boolean complete) {
    DialectSession s = open("api.openai.com", 443, path);
    return run(s, requestBody, status, contentType, responseBody, pieceSize, complete);
  }

  static GenAiFacts run(DialectSession s, String requestBody, int status, String contentType, String responseBody,
      int pieceSize, boolean complete) {
    feed(s, requestBody.getBytes(StandardCharsets.UTF_8), pieceSize, true);
    s.onRequestBodyEnd();
    s.onResponse(status, name -> name.equalsIgnoreCase("content-type") ? contentType : null);
    feed(s, responseBody.getBytes(StandardCharsets.UTF_8), pieceSize, false);
    s.onResponseEnd(complete);
    return s.facts();
  }

  static void feed(DialectSession s, byte[] bytes, int pieceSize, boolean request) {
    for (int pos = 0; pos < bytes.length; pos += pieceSize) {
      byte[] piece = Arrays.copyOfRange(bytes, pos, Math.min(bytes.length, pos + pieceSize));
      if (request) s.onRequestBody(piece, 0, piece.length);
      else s.onResponseBody(piece, 0, piece.length);
      Arrays.fill(piece, (byte) '#');
    }
  }
}
