package dev.llmotel.dialect.anthropic;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;

/**
 * One Messages API call: the request body gives the parameters, the response is either one JSON message (or error)
 * or an SSE stream of message events (by its Content-Type). Everything is parsed incrementally within the context's
 * limits, and no method throws: a parse failure leaves the facts partly filled.
 */
final class AnthropicSession implements DialectSession {
  private final CallFacts facts = new CallFacts();
  private final DialectContext context;
  private final AnthropicLimits limits;

  private JsonTreeReader request;
  private boolean requestRead;

  private boolean responseStarted;
  private JsonTreeReader response;
  private SseDecoder stream;
  private EventStream events;
  private boolean responseRead;

  AnthropicSession(String provider, AnthropicLimits limits) {
    this.context = limits.context;
    this.limits = limits;
    facts.request.operationName = AnthropicDialect.CHAT;
    facts.request.providerName = provider;
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
    if (context.captureContent() && body != null) {
      int max = context.maxContentChars();
      facts.request.inputMessagesJson = AnthropicContent.inputMessages(body, max);
      facts.request.systemInstructionsJson = AnthropicContent.systemInstructions(body, max);
      facts.request.toolDefinitionsJson = AnthropicContent.toolDefinitions(body, max);
    }
  }

  private void startResponse(boolean sse) {
    if (responseStarted) return;
    responseStarted = true;
    if (sse) {
      facts.stream.streamed = true;
      events = new EventStream(facts, limits.event, context.maxParsedBytes(),
          context.captureContent() ? new AnthropicContent.StreamAssembler(context.maxContentChars()) : null);
      stream = new SseDecoder(context.maxEventBytes(), events);
    } else {
      response = new JsonTreeReader(limits.response);
    }
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
