package dev.llmotel.dialect.gemini;

import dev.llmotel.dialect.RequestFacts;
import dev.llmotel.wire.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a generateContent request's {@code generationConfig}: temperature, topP, topK, maxOutputTokens,
 * stopSequences, candidateCount, seed and responseMimeType ({@code application/json}, or a response schema, is
 * output type {@code json}; {@code text/plain} is {@code text}). The REST API takes its fields in lowerCamelCase and
 * in snake_case alike; both are read.
 */
final class GeminiRequest {
  private GeminiRequest() {}

  static void apply(JsonValue body, RequestFacts request) {
    if (body == null || !body.isObject()) return;
    JsonValue config = field(body, "generationConfig", "generation_config");
    if (!config.isObject()) return;
    request.temperature = number(config.path("temperature"));
    request.topP = number(field(config, "topP", "top_p"));
    request.topK = number(field(config, "topK", "top_k"));
    long maxTokens = field(config, "maxOutputTokens", "max_output_tokens").asLong(-1);
    if (maxTokens >= 0) request.maxTokens = maxTokens;
    long candidates = field(config, "candidateCount", "candidate_count").asLong(-1);
    if (candidates >= 0) request.choiceCount = candidates;
    JsonValue seed = config.path("seed");
    if (seed.isNumber() && seed.asLong(Long.MIN_VALUE) != Long.MIN_VALUE) request.seed = seed.asLong(0);
    request.stopSequences = strings(field(config, "stopSequences", "stop_sequences"));

    String mime = field(config, "responseMimeType", "response_mime_type").asNonEmptyText();
    if (mime != null) mime = mime.toLowerCase(Locale.ROOT);
    if ("application/json".equals(mime) || field(config, "responseSchema", "response_schema").isPresent()
        || field(config, "responseJsonSchema", "response_json_schema").isPresent()) {
      request.outputType = "json";
    } else if ("text/plain".equals(mime)) {
      request.outputType = "text";
    }
  }

  /** The field under its lowerCamelCase name, else under its snake_case one. */
  static JsonValue field(JsonValue object, String camel, String snake) {
    JsonValue v = object.path(camel);
    return v.isPresent() ? v : object.path(snake);
  }

  private static List<String> strings(JsonValue array) {
    if (!array.isArray()) return null;
    List<String> out = new ArrayList<String>(array.retainedSize());
    for (int i = 0; i < array.retainedSize(); i++) {
      String s = array.get(i).asText(null);
      if (s != null) out.add(s);
    }
    return out.isEmpty() ? null : out;
  }

  private static Double number(JsonValue v) {
    return v.isNumber() ? Double.valueOf(v.asDouble(0)) : null;
  }
}
