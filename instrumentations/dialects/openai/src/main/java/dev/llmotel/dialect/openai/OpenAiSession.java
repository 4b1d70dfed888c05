package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.dialect.StreamOutcome;
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
  private final GenAiFacts facts = new GenAiFacts();
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
    facts.operationName = operation;
    facts.providerName = provider;
    facts.requestModel = azureDeployment;
  }

  @Override
  public GenAiFacts facts() {
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
      facts.httpStatus = statusCode;
      if (statusCode >= 400) facts.errorType = Integer.toString(statusCode);
      String contentType = headers == null ? null : headers.get("Content-Type");
      boolean sse = contentType != null ? contentType.toLowerCase(java.util.Locale.ROOT).contains("event-stream")
          : facts.stream && statusCode < 400;
      startResponse(sse);
    } catch (Throwable ignored) {
      // see onRequestBody
    }
  }

  @Override
  public void onResponseBody(byte[] bytes, int offset, int length) {
    try {
      if (responseRead) return;
      if (!responseStarted) startResponse(facts.stream);
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
      else if (facts.stream && facts.httpStatus < 400) endStream(complete);
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
      facts.inputMessagesJson = OpenAiContent.inputMessages(body, context.maxContentChars());
      facts.toolDefinitionsJson = OpenAiContent.toolDefinitions(body, context.maxContentChars());
    }
  }

  private void startResponse(boolean sse) {
    if (responseStarted) return;
    responseStarted = true;
    if (sse) {
      facts.stream = true;
      chunks = new ChunkStream(facts, limits.firstChunk, limits.steadyChunk, context.maxParsedBytes(),
          context.captureContent() ? new OpenAiContent.StreamAssembler(context.maxContentChars()) : null);
      stream = new SseDecoder(context.maxEventBytes(), chunks);
    } else {
      response = new JsonTreeReader(limits.response(operation));
    }
  }

  private void endStream(boolean complete) {
    if (complete && stream != null) stream.end();
    if (chunks != null) facts.outputMessagesJson = chunks.outputMessages();
    if (facts.streamOutcome == StreamOutcome.COMPLETED) return;
    if (!complete) {
      facts.streamOutcome = StreamOutcome.ABANDONED;
    } else if (chunks != null && chunks.sawFinishReason()) {
      facts.streamOutcome = StreamOutcome.COMPLETED;
    } else {
      facts.streamOutcome = StreamOutcome.TRUNCATED;
      if (facts.errorType == null) facts.errorType = "stream_truncated";
    }
  }

  private void readResponse(JsonValue body) {
    if (facts.httpStatus >= 400) {
      if (!ResponseFields.applyError(body, facts, Integer.toString(facts.httpStatus))) {
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
      if (dimensions >= 0) facts.embeddingDimensions = dimensions;
    } else {
      new FinishReasons().collect(body.path("choices"), facts);
      if (context.captureContent()) {
        facts.outputMessagesJson = OpenAiContent.outputMessages(body, context.maxContentChars());
      }
    }
  }
}
