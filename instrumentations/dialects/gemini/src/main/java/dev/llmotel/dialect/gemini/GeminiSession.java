package dev.llmotel.dialect.gemini;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;

/**
 * One call to the Gemini API: the path gave the model and the method, the request body gives the generation config;
 * the response is one JSON document or (its Content-Type says) an SSE stream of GenerateContentResponse chunks.
 * {@code streamGenerateContent} without {@code alt=sse} answers a JSON array of those chunks, read whole. Parsed
 * incrementally within the context's limits; no method throws.
 */
final class GeminiSession implements DialectSession {
  private final CallFacts facts = new CallFacts();
  private final GeminiDialect.Method method;
  private final GeminiLimits limits;
  private final DialectContext context;
  private final GeminiResponse responseFields = new GeminiResponse(facts);

  private JsonTreeReader request;
  private boolean requestRead;

  private boolean responseStarted;
  private JsonTreeReader response;
  private SseDecoder sse;
  private GeminiStream stream;
  private boolean responseRead;

  GeminiSession(GeminiDialect.Method method, String provider, String model, GeminiLimits limits) {
    this.method = method;
    this.limits = limits;
    this.context = limits.context;
    facts.request.operationName = method.operation;
    facts.request.providerName = provider;
    facts.request.model = model;
    if (method.streams) facts.stream.streamed = true;
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
      if (!responseStarted) startResponse(facts.response.eventStream);
      if (sse != null) sse.feed(bytes, offset, length);
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
      if (sse != null) endStream(complete);
      else if (response != null) readResponse(response.end());
    } catch (Throwable ignored) {
      // see onRequestBody
    }
  }

  private void readRequest() {
    if (requestRead) return;
    requestRead = true;
    JsonValue body = request == null ? null : request.end();
    request = null;
    if (body == null || !body.isObject()) return;
    if (!method.embeds()) GeminiRequest.apply(body, facts.request);
    if (context.captureContent() && !method.embeds()) {
      int max = context.maxContentChars();
      facts.request.inputMessagesJson = GeminiContent.inputMessages(body, max);
      facts.request.systemInstructionsJson = GeminiContent.systemInstructions(body, max);
      facts.request.toolDefinitionsJson = GeminiContent.toolDefinitions(body, max);
    }
  }

  private void startResponse(boolean eventStream) {
    if (responseStarted) return;
    responseStarted = true;
    if (eventStream) {
      facts.stream.streamed = true;
      GeminiContent.OutputAssembler content = context.captureContent()
          ? new GeminiContent.OutputAssembler(context.maxContentChars()) : null;
      stream = new GeminiStream(facts, responseFields, limits.firstChunk, limits.steadyChunk,
          context.maxParsedBytes(), content);
      sse = new SseDecoder(context.maxEventBytes(), stream);
    } else if (facts.response.httpStatus >= 400) {
      response = new JsonTreeReader(limits.errorResponse);
    } else {
      response = new JsonTreeReader(method.embeds() ? limits.embeddingsResponse : limits.response);
    }
  }

  private void endStream(boolean complete) {
    if (complete) sse.end();
    facts.response.outputMessagesJson = stream.outputMessages();
    // no end marker in Gemini's streams: one read to its end in which a candidate finished (and no error event came)
    // is complete
    if (complete && responseFields.sawEnd() && !stream.sawError()) {
      facts.stream.markEnd();
    }
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
