package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonValue;

/** Reads the parameters of a Responses request body ({@code POST .../responses}) into the facts. */
final class RequestParameters {
  private RequestParameters() {}

  static void apply(JsonValue body, CallFacts facts) {
    if (body == null || !body.isObject()) return;
    String model = body.path("model").asNonEmptyText();
    if (model != null) facts.request.model = model;
    if (body.path("stream").asBoolean(false)) facts.stream.streamed = true;

    long maxTokens = body.path("max_output_tokens").asLong(-1);
    if (maxTokens >= 0) facts.request.maxTokens = maxTokens;
    facts.request.temperature = number(body.path("temperature"));
    facts.request.topP = number(body.path("top_p"));

    String format = body.path("text").path("format").path("type").asNonEmptyText();
    if ("json_schema".equals(format) || "json_object".equals(format)) facts.request.outputType = "json";
    else if ("text".equals(format)) facts.request.outputType = "text";

    String serviceTier = body.path("service_tier").asNonEmptyText();
    if (serviceTier != null) facts.response.putExtra("openai.request.service_tier", serviceTier);
  }

  private static Double number(JsonValue v) {
    return v.isNumber() ? Double.valueOf(v.asDouble(0)) : null;
  }
}
