package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.support.JsonBodySession;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonValue;

/**
 * One Responses API call: the request body gives the parameters, the response is either one JSON document (a response
 * object or an error body) or an SSE stream of named events (by its Content-Type). Everything is parsed incrementally
 * within the context's limits, and no method throws: a parse failure leaves the facts partly filled.
 */
final class ResponsesSession extends JsonBodySession {
  private final ResponsesLimits limits;

  ResponsesSession(String provider, ResponsesLimits limits) {
    super(limits.context, limits.request);
    this.limits = limits;
    facts.request.operationName = OpenAiResponsesDialect.OPERATION;
    facts.request.providerName = provider;
    facts.response.putExtra("openai.api.type", "responses");
  }

  @Override
  protected void onRequest(JsonValue body) {
    if (body == null) return;
    RequestParameters.apply(body, facts);
    if (context.captureContent() && body.isObject()) {
      int max = context.maxContentChars();
      facts.request.inputMessagesJson = ResponsesContent.inputMessages(body, max);
      facts.request.systemInstructionsJson = ResponsesContent.systemInstructions(body, max);
      facts.request.toolDefinitionsJson = ResponsesContent.toolDefinitions(body, max);
    }
  }

  @Override
  protected StreamParser openStream() {
    ResponsesOutput output = context.captureContent() ? new ResponsesOutput(context.maxContentChars()) : null;
    EventStream events = new EventStream(facts, limits, context.maxParsedBytes(), output);
    return sseStream(events, complete -> {
      facts.response.outputMessagesJson = events.outputMessages();
    });
  }

  @Override
  protected JsonLimits responseLimits() {
    return limits.response;
  }

  @Override
  protected void onResponseDocument(JsonValue body) {
    readResponse(body);
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
