package dev.llmotel.it.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * The routes of one provider's protocol, registered in {@link LlmSimulator} by one line; asked before the OpenAI
 * routes, in registration order. Each provider keeps its payloads and behaviours in its own classes.
 */
interface ProviderRoutes {
  /** Whether this provider answers the request. */
  boolean handles(RecordedRequest request);

  /** Answers the request; {@code body} is its parsed JSON, or null. */
  void respond(HttpExchange exchange, RecordedRequest request, JsonNode body) throws IOException;
}
