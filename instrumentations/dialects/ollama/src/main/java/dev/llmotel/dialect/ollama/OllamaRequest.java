package dev.llmotel.dialect.ollama;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.RequestFacts;
import dev.llmotel.wire.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads an Ollama request body: whether it is Ollama's at all, then its model, stream flag and options. */
final class OllamaRequest {
  private OllamaRequest() {}

  /**
   * Whether the body is an Ollama request for the route: an object naming a {@code model}, whose fields (where
   * present) have the types Ollama's API gives them: {@code options} an object, {@code stream} a boolean, and
   * {@code messages} an array (chat), {@code prompt} a string (generate, legacy embeddings), {@code input} a string
   * or an array (embed). The legacy embeddings route takes {@code prompt}; a body there with {@code input} instead is
   * another API's (OpenAI-compatible servers answer {@code /api/embeddings} too).
   */
  static boolean isOllama(OllamaDialect.Route route, JsonValue body) {
    if (body == null || !body.isObject()) return false;
    if (body.path("model").asNonEmptyText() == null) return false;
    if (!absentOr(body.path("options"), JsonValue.Kind.OBJECT)) return false;
    if (!absentOr(body.path("stream"), JsonValue.Kind.BOOLEAN)) return false;
    switch (route) {
      case CHAT:
        return absentOr(body.path("messages"), JsonValue.Kind.ARRAY);
      case GENERATE:
        return absentOr(body.path("prompt"), JsonValue.Kind.STRING);
      case EMBED:
        JsonValue input = body.path("input");
        return absentOr(input, JsonValue.Kind.STRING) || input.isArray();
      case LEGACY_EMBEDDINGS:
        return absentOr(body.path("prompt"), JsonValue.Kind.STRING) && !body.path("input").isPresent();
      default:
        return false;
    }
  }

  /** Model, stream flag (Ollama streams chat and generate unless told {@code "stream": false}), options, format. */
  static void apply(OllamaDialect.Route route, JsonValue body, CallFacts facts) {
    RequestFacts request = facts.request;
    request.model = body.path("model").asNonEmptyText();
    if (route.generates()) facts.stream.streamed = body.path("stream").asBoolean(true);

    JsonValue options = body.path("options");
    request.temperature = number(options.path("temperature"));
    request.topP = number(options.path("top_p"));
    request.topK = number(options.path("top_k"));
    request.frequencyPenalty = number(options.path("frequency_penalty"));
    request.presencePenalty = number(options.path("presence_penalty"));
    // -1 (generate forever) and -2 (fill the context) set no limit
    long maxTokens = options.path("num_predict").asLong(-1);
    if (maxTokens >= 0) request.maxTokens = maxTokens;
    JsonValue seed = options.path("seed");
    if (seed.isNumber() && seed.asLong(Long.MIN_VALUE) != Long.MIN_VALUE) request.seed = seed.asLong(0);
    request.stopSequences = stop(options.path("stop"));

    // "json", or a JSON schema for structured output
    JsonValue format = body.path("format");
    if ("json".equals(format.asText(null)) || format.isObject()) request.outputType = "json";
  }

  private static List<String> stop(JsonValue stop) {
    if (stop.isString()) return Collections.singletonList(stop.asText(""));
    if (!stop.isArray()) return null;
    List<String> sequences = new ArrayList<String>(stop.retainedSize());
    for (int i = 0; i < stop.retainedSize(); i++) {
      String s = stop.get(i).asText(null);
      if (s != null) sequences.add(s);
    }
    return sequences.isEmpty() ? null : sequences;
  }

  private static boolean absentOr(JsonValue value, JsonValue.Kind kind) {
    return !value.isPresent() || value.kind() == kind;
  }

  private static Double number(JsonValue v) {
    return v.isNumber() ? Double.valueOf(v.asDouble(0)) : null;
  }
}
