package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.support.JsonBodySession;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonValue;

/**
 * One OpenAI-compatible call: the request body gives the parameters, the response is either one JSON document or an
 * SSE stream of chunks (by its Content-Type). Everything is parsed incrementally within the context's limits, and no
 * method throws: a parse failure leaves the facts partly filled.
 */
final class OpenAiSession extends JsonBodySession {
  private final OpenAiLimits limits;
  private final String operation;

  /** @param limits derived once per context and shared by the sessions of one dialect */
  OpenAiSession(String operation, String provider, String azureDeployment, OpenAiLimits limits) {
    super(limits.context, limits.request);
    this.operation = operation;
    this.limits = limits;
    facts.request.operationName = operation;
    facts.request.providerName = provider;
    facts.request.model = azureDeployment;
  }

  @Override
  protected void onRequest(JsonValue body) {
    if (body == null) return;
    RequestParameters.apply(body, facts);
    if (context.captureContent()) {
      facts.request.inputMessagesJson = OpenAiContent.inputMessages(body, context.maxContentChars());
      facts.request.toolDefinitionsJson = OpenAiContent.toolDefinitions(body, context.maxContentChars());
    }
  }

  @Override
  protected StreamParser openStream() {
    ChunkStream chunks = new ChunkStream(facts, limits.firstChunk, limits.steadyChunk, context.maxParsedBytes(),
        context.captureContent() ? new OpenAiContent.StreamAssembler(context.maxContentChars()) : null);
    return sseStream(chunks, complete -> {
      facts.response.outputMessagesJson = chunks.outputMessages();
      // a stream read to its end whose choices all finished is complete even without [DONE]
      if (complete && chunks.sawFinishReason()) facts.stream.markEnd();
    });
  }

  @Override
  protected JsonLimits responseLimits() {
    return limits.response(operation);
  }

  @Override
  protected void onResponseDocument(JsonValue body) {
    readResponse(body);
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
