package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.testkit.dialect.SessionRuns;

/** Drives a Responses session as the agent does (the kit's {@link SessionRuns}), bodies in pieces of a given size. */
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
    return SessionRuns.run(s, requestBody, status, contentType, responseBody, pieceSize, complete);
  }

  /** An SSE event as the API sends it: {@code event:} line with the data's type, one {@code data:} line. */
  static String event(String json) {
    int at = json.indexOf("\"type\":\"") + 8;
    return "event: " + json.substring(at, json.indexOf('"', at)) + "\ndata: " + json + "\n\n";
  }
}
