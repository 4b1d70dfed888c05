package dev.llmotel.telemetry;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.io.ByteArrayOutputStream;

/**
 * A test dialect for paths under /llm/: records the bytes it is fed, and fills facts from them in a trivial way
 * (request body = model name; each response byte 'x' = one streamed chunk, '$' = the stream's end marker; a stream
 * read to its end is complete too; '!' throws, to prove isolation). Status, event-stream detection and the stream's
 * outcome are left to the neutral rules, as every dialect leaves them.
 */
final class ScriptedDialect implements Dialect {
  final ByteArrayOutputStream request = new ByteArrayOutputStream();
  final ByteArrayOutputStream response = new ByteArrayOutputStream();
  Boolean endedComplete;

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public int precedence() {
    return SPECIFIC;
  }

  @Override
  public DialectSession open(ExchangeRequest req, DialectContext context) {
    if (!req.path().startsWith("/llm/")) return null;
    CallFacts facts = new CallFacts();
    facts.request.operationName = "chat";
    facts.request.providerName = "scripted";
    return new DialectSession() {
      @Override public CallFacts facts() { return facts; }

      @Override
      public void onRequestBody(byte[] b, int off, int len) {
        request.write(b, off, len);
      }

      @Override
      public void onRequestBodyEnd() {
        facts.request.model = request.toString();
      }

      @Override
      public void onResponse(int status, HeaderLookup headers) {
        // everything the status line and headers say is the neutral rules' (ResponseRules)
      }

      @Override
      public void onResponseBody(byte[] b, int off, int len) {
        response.write(b, off, len);
        for (int i = off; i < off + len; i++) {
          if (b[i] == '!') throw new IllegalStateException("dialect bug");
          if (b[i] == 'x') facts.stream.chunkArrived();
          if (b[i] == '$') facts.stream.markEnd();
        }
      }

      @Override
      public void onResponseEnd(boolean complete) {
        endedComplete = complete;
        facts.usage.inputTokens = 5;
        facts.usage.outputTokens = facts.stream.chunkCount;
        if (complete) facts.stream.markEnd();
      }
    };
  }
}
