package dev.llmotel.dialect.gemini;

import dev.llmotel.dialect.support.JsonBodySession;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonValue;

/**
 * One call to the Gemini API: the path gave the model and the method, the request body gives the generation config;
 * the response is one JSON document or (its Content-Type says) an SSE stream of GenerateContentResponse chunks.
 * {@code streamGenerateContent} without {@code alt=sse} answers a JSON array of those chunks, read whole. Parsed
 * incrementally within the context's limits; no method throws.
 */
final class GeminiSession extends JsonBodySession {
  private final GeminiDialect.Method method;
  private final GeminiLimits limits;
  private final GeminiResponse responseFields = new GeminiResponse(facts);

  GeminiSession(GeminiDialect.Method method, String provider, String model, GeminiLimits limits) {
    super(limits.context, limits.request);
    this.method = method;
    this.limits = limits;
    facts.request.operationName = method.operation;
    facts.request.providerName = provider;
    facts.request.model = model;
    if (method.streams) facts.stream.streamed = true;
  }

  @Override
  protected void onRequest(JsonValue body) {
    if (body == null || !body.isObject() || method.embeds()) return;
    GeminiRequest.apply(body, facts.request);
    if (context.captureContent()) {
      int max = context.maxContentChars();
      facts.request.inputMessagesJson = GeminiContent.inputMessages(body, max);
      facts.request.systemInstructionsJson = GeminiContent.systemInstructions(body, max);
      facts.request.toolDefinitionsJson = GeminiContent.toolDefinitions(body, max);
    }
  }

  @Override
  protected StreamParser openStream() {
    GeminiContent.OutputAssembler content = context.captureContent()
        ? new GeminiContent.OutputAssembler(context.maxContentChars()) : null;
    GeminiStream stream = new GeminiStream(facts, responseFields, limits.firstChunk, limits.steadyChunk,
        context.maxParsedBytes(), content);
    return sseStream(stream, complete -> {
      facts.response.outputMessagesJson = stream.outputMessages();
      // no end marker in Gemini's streams: one read to its end in which a candidate finished (and no error event
      // came) is complete
      if (complete && responseFields.sawEnd() && !stream.sawError()) facts.stream.markEnd();
    });
  }

  @Override
  protected JsonLimits responseLimits() {
    if (facts.response.httpStatus >= 400) return limits.errorResponse;
    return method.embeds() ? limits.embeddingsResponse : limits.response;
  }

  @Override
  protected void onResponseDocument(JsonValue body) {
    readResponse(body);
  }

  private void readResponse(JsonValue body) {
    if (facts.response.httpStatus >= 400) {
      // the status gave the error type ("429"); the body names it ("RESOURCE_EXHAUSTED") and says what went wrong
      GeminiResponse.applyError(body, facts, null);
      return;
    }
    if (body == null) return;
    if (GeminiResponse.applyError(body, facts, "error")) return;
    if (method.embeds()) {
      if (body.isObject()) responseFields.applyEmbeddings(body);
      return;
    }
    // streamGenerateContent without alt=sse: a JSON array of chunks
    GeminiContent.OutputAssembler content = context.captureContent()
        ? new GeminiContent.OutputAssembler(context.maxContentChars()) : null;
    int n = body.isArray() ? body.retainedSize() : 1;
    for (int i = 0; i < n; i++) {
      JsonValue chunk = body.isArray() ? body.get(i) : body;
      if (!chunk.isObject()) continue;
      responseFields.apply(chunk);
      if (content != null) content.onResponse(chunk);
    }
    if (content != null) facts.response.outputMessagesJson = content.outputMessages();
  }
}
