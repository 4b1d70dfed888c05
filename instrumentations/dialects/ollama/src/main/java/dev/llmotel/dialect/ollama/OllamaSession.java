package dev.llmotel.dialect.ollama;

import dev.llmotel.dialect.support.JsonBodySession;
import dev.llmotel.wire.JsonLimits;
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
final class OllamaSession extends JsonBodySession {
  private final OllamaDialect.Route route;
  private final String provider;
  private final OllamaLimits limits;
  /** The request body is Ollama's: the response is read too. */
  private boolean ollama;

  OllamaSession(OllamaDialect.Route route, String provider, OllamaLimits limits) {
    super(limits.context, limits.request);
    this.route = route;
    this.provider = provider;
    this.limits = limits;
    facts.request.operationName = route.operation;
  }

  @Override
  protected void onRequest(JsonValue body) {
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

  @Override
  protected StreamParser openStream() {
    if (!ollama) return null;
    OllamaContent.OutputAssembler content = context.captureContent() && route.generates()
        ? new OllamaContent.OutputAssembler(route, context.maxContentChars()) : null;
    OllamaStream stream = new OllamaStream(facts, limits.firstLine, limits.steadyLine, context.maxParsedBytes(),
        content);
    LineDecoder lines = new LineDecoder(context.maxEventBytes(), stream);
    return new StreamParser() {
      @Override
      public void feed(byte[] bytes, int offset, int length) {
        lines.feed(bytes, offset, length);
      }

      @Override
      public void end(boolean complete) {
        if (complete) stream.end(lines);
        facts.response.outputMessagesJson = stream.outputMessages();
      }
    };
  }

  @Override
  protected JsonLimits responseLimits() {
    if (!ollama) return null;
    return facts.response.httpStatus >= 400 ? limits.errorResponse : limits.response(route);
  }

  @Override
  protected void onResponseDocument(JsonValue body) {
    readResponse(body);
  }

  /** Another API under an Ollama route: no end marker to wait for, and none to miss. */
  @Override
  protected void onUnreadResponseEnd(boolean complete) {
    if (!ollama && complete) facts.stream.markEnd();
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
