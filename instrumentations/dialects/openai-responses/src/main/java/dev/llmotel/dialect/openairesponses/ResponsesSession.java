package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;

/**
 * One Responses API call: the request body gives the parameters, the response is either one JSON document (a response
 * object or an error body) or an SSE stream of named events (by its Content-Type). Everything is parsed incrementally
 * within the context's limits, and no method throws: a parse failure leaves the facts partly filled.
 */
final class ResponsesSession implements DialectSession {
  private final CallFacts facts = new CallFacts();
  private final DialectContext context;
  private final ResponsesLimits limits;

  private JsonTreeReader request;
  private boolean requestRead;

  private boolean responseStarted;
  private JsonTreeReader response;
  private SseDecoder stream;
  private EventStream events;
  private boolean responseRead;

  ResponsesSession(String provider, ResponsesLimits limits) {
    this.context = limits.context;
    this.limits = limits;
    facts.request.operationName = OpenAiResponsesDialect.OPERATION;
    facts.request.providerName = provider;
    facts.response.putExtra("openai.api.type", "responses");
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
      if (stream != null) {
        if (complete) stream.end();
        facts.response.outputMessagesJson = events.outputMessages();
      } else if (response != null) {
        readResponse(response.end());
      }
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
    if (context.captureContent() && body != null && body.isObject()) {
      int max = context.maxContentChars();
      facts.request.inputMessagesJson = ResponsesContent.inputMessages(body, max);
      facts.request.systemInstructionsJson = ResponsesContent.systemInstructions(body, max);
      facts.request.toolDefinitionsJson = ResponsesContent.toolDefinitions(body, max);
    }
  }

  private void startResponse(boolean sse) {
    if (responseStarted) return;
    responseStarted = true;
    if (sse) {
      facts.stream.streamed = true;
      ResponsesOutput output = context.captureContent() ? new ResponsesOutput(context.maxContentChars()) : null;
      events = new EventStream(facts, limits, context.maxParsedBytes(), output);
      stream = new SseDecoder(context.maxEventBytes(), events);
    } else {
      response = new JsonTreeReader(limits.response);
    }
  }

  private void readResponse(JsonValue body) {
    if (facts.response.httpStatus >= 400) {
      if (!ResponseObject.applyErrorBody(body, facts, Integer.toString(facts.response.httpStatus))) {
        ResponseObject.applyLooseErrorMessage(body, facts);
      }
      return;
    }
    if (body == null || !body.isObject()) return;
    ResponseObject.apply(body, facts);
    if (context.captureContent()) {
      ResponsesOutput output = new ResponsesOutput(context.maxContentChars());
      output.setAll(body.path("output"));
      facts.response.outputMessagesJson =
          output.render(facts.response.finishReasons.isEmpty() ? null : facts.response.finishReasons.get(0));
    }
  }
}
