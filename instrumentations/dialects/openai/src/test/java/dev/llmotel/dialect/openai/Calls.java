package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.testkit.dialect.SessionRuns;

/**
 * Drives an OpenAI dialect session the way the agent does (the kit's {@link SessionRuns}, through {@code DialectCall},
 * which applies the neutral rules), feeding bodies in pieces of a chosen size.
 */
final class Calls {
  static final String SSE = "text/event-stream; charset=utf-8";
  static final String JSON = "application/json";

  private Calls() {}

  static DialectSession open(String host, int port, String path) {
    ExchangeRequest request = new ExchangeRequest("POST", "https", host, port, path, null, HeaderLookup.NONE);
    return new OpenAiDialect().open(request, DialectContext.defaults());
  }

  static CallFacts run(String path, String requestBody, int status, String contentType, String responseBody,
      int pieceSize, boolean complete) {
    DialectSession s = open("api.openai.com", 443, path);
    return run(s, requestBody, status, contentType, responseBody, pieceSize, complete);
  }

  static CallFacts run(DialectSession s, String requestBody, int status, String contentType, String responseBody,
      int pieceSize, boolean complete) {
    return SessionRuns.run(s, requestBody, status, contentType, responseBody, pieceSize, complete);
  }
}
