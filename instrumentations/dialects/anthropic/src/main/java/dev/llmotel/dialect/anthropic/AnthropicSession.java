package dev.llmotel.dialect.anthropic;

import dev.llmotel.dialect.support.JsonBodySession;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonValue;

/**
 * One Messages API call: the request body gives the parameters, the response is either one JSON message (or error)
 * or an SSE stream of message events (by its Content-Type). Everything is parsed incrementally within the context's
 * limits, and no method throws: a parse failure leaves the facts partly filled.
 */
final class AnthropicSession extends JsonBodySession {
  private final AnthropicLimits limits;

  AnthropicSession(String provider, AnthropicLimits limits) {
    super(limits.context, limits.request);
    this.limits = limits;
    facts.request.operationName = AnthropicDialect.CHAT;
    facts.request.providerName = provider;
  }

  @Override
  protected void onRequest(JsonValue body) {
    if (body == null) return;
    RequestParameters.apply(body, facts);
    if (context.captureContent()) {
      int max = context.maxContentChars();
      facts.request.inputMessagesJson = AnthropicContent.inputMessages(body, max);
      facts.request.systemInstructionsJson = AnthropicContent.systemInstructions(body, max);
      facts.request.toolDefinitionsJson = AnthropicContent.toolDefinitions(body, max);
    }
  }

  @Override
  protected StreamParser openStream() {
    EventStream events = new EventStream(facts, limits.event, context.maxParsedBytes(),
        context.captureContent() ? new AnthropicContent.StreamAssembler(context.maxContentChars()) : null);
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
      // a known error body names the error; any other keeps the status as the error type
      MessageFields.applyError(body, facts, null);
      return;
    }
    if (body == null || !body.isObject()) return;
    if ("error".equals(body.path("type").asText(null)) && MessageFields.applyError(body, facts, "error")) return;
    MessageFields.applyIdentity(body, facts);
    String stopReason = body.path("stop_reason").asNonEmptyText();
    MessageFields.applyStopReason(stopReason, facts);
    new MessageFields.Usage().apply(body.path("usage"), facts);
    if (context.captureContent()) {
      facts.response.outputMessagesJson = AnthropicContent.outputMessages(body, stopReason, context.maxContentChars());
    }
  }
}
