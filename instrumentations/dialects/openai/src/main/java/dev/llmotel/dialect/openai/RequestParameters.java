package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads the request parameters of a chat, completion or embeddings request body into the facts. */
final class RequestParameters {
  private RequestParameters() {}

  /** Only what the parameters need is kept; prompts, tools and embedding inputs are summarized away. */
  static final String[] BULKY_FIELDS = {"messages", "tools", "functions", "prompt", "input", "json_schema",
      "tool_choice", "metadata", "logit_bias", "prediction", "audio", "web_search_options"};

  static void apply(JsonValue body, CallFacts facts) {
    if (body == null || !body.isObject()) return;
    String model = body.path("model").asNonEmptyText();
    if (model != null) facts.request.model = model;
    if (body.path("stream").asBoolean(false)) facts.stream.streamed = true;

    long maxTokens = body.path("max_completion_tokens").asLong(-1);
    if (maxTokens < 0) maxTokens = body.path("max_tokens").asLong(-1);
    if (maxTokens >= 0) facts.request.maxTokens = maxTokens;

    facts.request.temperature = number(body.path("temperature"));
    facts.request.topP = number(body.path("top_p"));
    facts.request.frequencyPenalty = number(body.path("frequency_penalty"));
    facts.request.presencePenalty = number(body.path("presence_penalty"));
    long n = body.path("n").asLong(-1);
    if (n >= 0) facts.request.choiceCount = n;
    JsonValue seed = body.path("seed");
    if (seed.isNumber() && seed.asLong(Long.MIN_VALUE) != Long.MIN_VALUE) facts.request.seed = seed.asLong(0);

    JsonValue stop = body.path("stop");
    if (stop.isString()) {
      facts.request.stopSequences = Collections.singletonList(stop.asText(""));
    } else if (stop.isArray()) {
      List<String> sequences = new ArrayList<String>(stop.retainedSize());
      for (int i = 0; i < stop.retainedSize(); i++) {
        String s = stop.get(i).asText(null);
        if (s != null) sequences.add(s);
      }
      if (!sequences.isEmpty()) facts.request.stopSequences = sequences;
    }

    String format = body.path("response_format").path("type").asNonEmptyText();
    if ("json_object".equals(format) || "json_schema".equals(format)) facts.request.outputType = "json";
    else if ("text".equals(format)) facts.request.outputType = "text";

    String serviceTier = body.path("service_tier").asNonEmptyText();
    if (serviceTier != null) facts.response.putExtra("openai.request.service_tier", serviceTier);

    String encoding = body.path("encoding_format").asNonEmptyText();
    if (encoding != null) facts.request.encodingFormats = Collections.singletonList(encoding);
  }

  private static Double number(JsonValue v) {
    return v.isNumber() ? Double.valueOf(v.asDouble(0)) : null;
  }
}
