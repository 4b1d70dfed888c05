package dev.llmotel.dialect.ollama;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.LineDecoder;

/**
 * One call to Ollama's API: the request body gives the model, stream flag and options; the response is one JSON
 * object, or (its Content-Type says) an NDJSON stream of them. Parsed incrementally within the context's limits; no
 * method throws.
 *
 * <p>Until the request body has shown itself to be Ollama's ({@link OllamaRequest#isOllama}), only the route's
 * operation is known; a body that is not Ollama's leaves the facts to the protocol-neutral rules, and its response
 * body is not read: a streamed one counts as complete when the application reads it to its end, since its protocol's
 * end marker is unknown.
 */
final class OllamaSession implements DialectSession {
  private final CallFacts facts = new CallFacts();
  private final OllamaDialect.Route route;
  private final String provider;
  private final OllamaLimits limits;
  private final DialectContext context;

  private JsonTreeReader request;
  private boolean requestRead;
  /** The request body is Ollama's: the response is read too. */
  private boolean ollama;

  private boolean responseStarted;
  private JsonTreeReader response;
  private LineDecoder lines;
  private OllamaStream stream;
  private boolean responseRead;

  OllamaSession(OllamaDialect.Route route, String provider, OllamaLimits limits) {
    this.route = route;
    this.provider = provider;
    this.limits = limits;
    this.context = limits.context;
    facts.request.operationName = route.operation;
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
      if (lines != null) lines.feed(bytes, offset, length);
      else if (response != null) response.feed(bytes, offset, length);
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
      if (!ollama) {
        // another API under an Ollama route: no end marker to wait for, and none to miss
        if (complete) facts.stream.markEnd();
      } else if (lines != null) {
        if (complete) stream.end(lines);
        facts.response.outputMessagesJson = stream.outputMessages();
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
    JsonValue body = request == null ? null : request.end();
    request = null;
    if (!OllamaRequest.isOllama(route, body)) return;
    ollama = true;
    facts.request.providerName = provider;
    OllamaRequest.apply(route, body, facts);
    if (context.captureContent()) {
      int max = context.maxContentChars();
      facts.request.inputMessagesJson = OllamaContent.inputMessages(route, body, max);
      facts.request.systemInstructionsJson = OllamaContent.systemInstructions(route, body, max);
      facts.request.toolDefinitionsJson = OllamaContent.toolDefinitions(body, max);
    }
  }

  private void startResponse(boolean ndjson) {
    if (responseStarted) return;
    responseStarted = true;
    if (!ollama) return;
    if (ndjson) {
      facts.stream.streamed = true;
      OllamaContent.OutputAssembler content = context.captureContent() && route.generates()
          ? new OllamaContent.OutputAssembler(route, context.maxContentChars()) : null;
      stream = new OllamaStream(facts, limits.firstLine, limits.steadyLine, context.maxParsedBytes(), content);
      lines = new LineDecoder(context.maxEventBytes(), stream);
    } else {
      response = new JsonTreeReader(facts.response.httpStatus >= 400 ? limits.errorResponse : limits.response(route));
    }
  }

  private void readResponse(JsonValue body) {
    if (facts.response.httpStatus >= 400) {
      // the status gave the error type ("404"); the body says what went wrong
      OllamaResponse.applyError(body, facts, null);
      return;
    }
    if (body == null || !body.isObject()) return;
    if (OllamaResponse.applyError(body, facts, "error")) return;
    if (route.embeds()) {
      OllamaResponse.applyEmbeddings(body, facts);
      return;
    }
    OllamaResponse.applyFinal(body, facts);
    if (context.captureContent()) {
      facts.response.outputMessagesJson = OllamaContent.outputMessages(route, body, context.maxContentChars());
    }
  }
}
