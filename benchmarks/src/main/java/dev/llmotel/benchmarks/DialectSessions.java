package dev.llmotel.benchmarks;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectCall;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;

/** Drives a whole dialect session the way the agent does: open, request body, headers, body in 8 KiB reads, end. */
final class DialectSessions {
  static final int READ_SIZE = 8 * 1024;
  static final HeaderLookup SSE = contentType("text/event-stream; charset=utf-8");
  static final HeaderLookup JSON = contentType("application/json");
  static final HeaderLookup NDJSON = contentType("application/x-ndjson");

  private DialectSessions() {}

  static HeaderLookup contentType(String value) {
    return name -> name.equalsIgnoreCase("content-type") ? value : null;
  }

  static CallFacts drive(Dialect dialect, DialectContext context, ExchangeRequest request, byte[] requestBody,
      HeaderLookup headers, byte[] body) {
    DialectCall call = new DialectCall(dialect.open(request, context));
    call.requestBody(0, requestBody, 0, requestBody.length);
    call.requestBodyEnd();
    call.response(200, headers);
    for (int pos = 0; pos < body.length; pos += READ_SIZE) {
      if (call.responseBody(0, body, pos, Math.min(READ_SIZE, body.length - pos))) return call.facts();
    }
    call.responseEnd(true);
    return call.facts();
  }
}
