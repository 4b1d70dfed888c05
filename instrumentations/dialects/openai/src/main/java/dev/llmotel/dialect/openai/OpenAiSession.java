package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;

/**
 * One OpenAI-compatible call: the request body gives the parameters, the response is either one JSON document or an
 * SSE stream of chunks (by its Content-Type). Everything is parsed incrementally within the context's limits, and no
 * method throws: a parse failure leaves the facts partly filled.
 */
final class OpenAiSession implements DialectSession {
  private final CallFacts facts = new CallFacts();
  private final DialectContext context;
  private final OpenAiLimits limits;
  private final String operation;

  private JsonTreeReader request;
  private boolean requestRead;

  private boolean responseStarted;
  private JsonTreeReader response;
  private SseDecoder stream;
  private ChunkStream chunks;
  private boolean responseRead;

  /** @param limits derived once per context and shared by the sessions of one dialect */
  OpenAiSession(String operation, String provider, String azureDeployment, OpenAiLimits limits) {
    this.operation = operation;
    this.context = limits.context;
    this.limits = limits;
    facts.request.operationName = operation;
    facts.request.providerName = provider;
    facts.request.model = azureDeployment;
  }

  @Override
  public CallFacts facts() {
    return facts;
  }

  @Override
  public void onRequestBody(byte[] bytes, int offset, int length) {
    try {
      if (requestRead) return;
      if (request == null) request = new JsonTreeReader(limits.request);
      request.feed(bytes, offset, length);
    } catch (Throwable ignored) {
      // the facts stay as they are
    }
  }

  @Override
  public void onRequestBodyEnd() {
    try {
      readRequest();
    } catch (Throwable ignored) {
      // see onRequestBody
    }
  }

  @Override
  public void onResponse(int statusCode, HeaderLookup headers) {
    try {
      readRequest();
      startResponse(facts.response.eventStream);
    } catch (Throwable ignored) {
      // see onRequestBody
    }
  }

  @Override
  public void onResponseBody(byte[] bytes, int offset, int length) {
    try {
      if (responseRead) return;
      if (!responseStarted) startResponse(facts.stream.streamed);
      if (stream != null) stream.feed(bytes, offset, length);
      else response.feed(bytes, offset, length);
    } catch (Throwable ignored) {
      // see onRequestBody
    }
  }

  @Override
  public void onResponseEnd(boolean complete) {
    try {
      readRequest();
      if (responseRead) return;
      responseRead = true;
      if (stream != null) endStream(complete);
      else if (response != null) readResponse(response.end());
    } catch (Throwable ignored) {
      // see onRequestBody
    }
  }

  private void readRequest() {
    if (requestRead) return;
    requestRead = true;
    if (request == null) return;
    JsonValue body = request.end();
    request = null;
    RequestParameters.apply(body, facts);
    if (context.captureContent() && body != null) {
      facts.request.inputMessagesJson = OpenAiContent.inputMessages(body, context.maxContentChars());
      facts.request.toolDefinitionsJson = OpenAiContent.toolDefinitions(body, context.maxContentChars());
    }
  }

  private void startResponse(boolean sse) {
    if (responseStarted) return;
    responseStarted = true;
    if (sse) {
      facts.stream.streamed = true;
      chunks = new ChunkStream(facts, limits.firstChunk, limits.steadyChunk, context.maxParsedBytes(),
          context.captureContent() ? new OpenAiContent.StreamAssembler(context.maxContentChars()) : null);
      stream = new SseDecoder(context.maxEventBytes(), chunks);
    } else {
      response = new JsonTreeReader(limits.response(operation));
    }
  }

  private void endStream(boolean complete) {
    if (complete) stream.end();
    facts.response.outputMessagesJson = chunks.outputMessages();
    // a stream read to its end whose choices all finished is complete even without [DONE]
    if (complete && chunks.sawFinishReason()) facts.stream.markEnd();
  }

  private void readResponse(JsonValue body) {
    if (facts.response.httpStatus >= 400) {
      if (!ResponseFields.applyError(body, facts, Integer.toString(facts.response.httpStatus))) {
        ResponseFields.applyLooseErrorMessage(body, facts);
      }
      return;
    }
    if (body == null || !body.isObject()) return;
    if (ResponseFields.applyError(body, facts, "error") && !body.path("choices").isPresent()
        && !body.path("data").isPresent()) {
      return;
    }
    ResponseFields.applyIdentity(body, facts);
    ResponseFields.applyUsage(body.path("usage"), facts);
    if (OpenAiDialect.EMBEDDINGS.equals(operation)) {
      long dimensions = EmbeddingVectors.dimensions(body.path("data").get(0).path("embedding"));
      if (dimensions >= 0) facts.response.embeddingDimensions = dimensions;
    } else {
      new FinishReasons().collect(body.path("choices"), facts);
      if (context.captureContent()) {
        facts.response.outputMessagesJson = OpenAiContent.outputMessages(body, context.maxContentChars());
      }
    }
  }
}
