package dev.llmotel.dialect.anthropic;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonValue;
import java.util.ArrayList;
import java.util.List;

/** Reads the request parameters of a Messages request body into the facts. */
final class RequestParameters {
  private RequestParameters() {}

  static void apply(JsonValue body, CallFacts facts) {
    if (body == null || !body.isObject()) return;
    String model = body.path("model").asNonEmptyText();
    if (model != null) facts.request.model = model;
    if (body.path("stream").asBoolean(false)) facts.stream.streamed = true;
    long maxTokens = body.path("max_tokens").asLong(-1);
    if (maxTokens >= 0) facts.request.maxTokens = maxTokens;
    facts.request.temperature = number(body.path("temperature"));
    facts.request.topP = number(body.path("top_p"));
    facts.request.topK = number(body.path("top_k"));
    JsonValue stop = body.path("stop_sequences");
    List<String> sequences = new ArrayList<String>(stop.retainedSize());
    for (int i = 0; i < stop.retainedSize(); i++) {
      String s = stop.get(i).asText(null);
      if (s != null) sequences.add(s);
    }
    if (!sequences.isEmpty()) facts.request.stopSequences = sequences;
  }

  private static Double number(JsonValue v) {
    return v.isNumber() ? Double.valueOf(v.asDouble(0)) : null;
  }
}
