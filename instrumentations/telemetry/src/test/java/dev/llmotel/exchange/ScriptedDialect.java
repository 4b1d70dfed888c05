package dev.llmotel.exchange;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.dialect.StreamOutcome;
import java.io.ByteArrayOutputStream;

/**
 * A test dialect for paths under /llm/: records the bytes it is fed, and fills facts from them in a trivial way
 * (request body = model name; each response byte 'x' = one streamed chunk, '$' = the stream's end marker; '!'
 * throws, to prove isolation).
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
  public DialectSession open(ExchangeRequest req, DialectContext context) {
    if (!req.path().startsWith("/llm/")) return null;
    GenAiFacts facts = new GenAiFacts();
    facts.operationName = "chat";
    facts.providerName = "scripted";
    return new DialectSession() {
      @Override public GenAiFacts facts() { return facts; }

      @Override
      public void onRequestBody(byte[] b, int off, int len) {
        request.write(b, off, len);
      }

      @Override
      public void onRequestBodyEnd() {
        facts.requestModel = request.toString();
      }

      @Override
      public void onResponse(int status, HeaderLookup headers) {
        if (status >= 400) facts.errorType = String.valueOf(status);
        facts.stream = "text/event-stream".equals(headers.get("content-type"));
      }

      @Override
      public void onResponseBody(byte[] b, int off, int len) {
        response.write(b, off, len);
        for (int i = off; i < off + len; i++) {
          if (b[i] == '!') throw new IllegalStateException("dialect bug");
          if (b[i] == 'x') facts.chunkArrived();
          if (b[i] == '$') facts.streamOutcome = StreamOutcome.COMPLETED;
        }
      }

      @Override
      public void onResponseEnd(boolean complete) {
        endedComplete = complete;
        facts.inputTokens = 5;
        facts.outputTokens = facts.chunkCount;
        if (facts.stream) facts.streamOutcome = complete ? StreamOutcome.COMPLETED : StreamOutcome.ABANDONED;
      }
    };
  }
}
