package dev.llmotel.dialect.ollama;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Facts as the recordings' {@code expected.json} states them: one flat map of the non-default facts, numbers as
 * doubles, JSON-valued facts (content) as parsed values, so maps compare with {@code equals}.
 */
final class RecordedFacts {
  private static final JsonLimits WHOLE = JsonLimits.defaults().withMaxStringChars(1 << 20)
      .withMaxArrayElements(1 << 16).withMaxObjectFields(1 << 12).withMaxRetainedChars(1 << 24).withMaxDepth(64)
      .withMaxNodes(1 << 20);

  private RecordedFacts() {}

  /** The expected facts of a recording. */
  static Map<String, Object> expected(String json) {
    JsonValue root = parse(json);
    if (root == null || !root.isObject()) throw new IllegalArgumentException("expected.json is not an object");
    Map<String, Object> out = new TreeMap<>();
    for (int i = 0; i < root.retainedSize(); i++) out.put(root.fieldName(i), toJava(root.get(i)));
    return out;
  }

  /** The non-default facts of a call. */
  static Map<String, Object> of(CallFacts f) {
    Map<String, Object> out = new TreeMap<>();
    put(out, "request.operation_name", f.request.operationName);
    put(out, "request.provider_name", f.request.providerName);
    put(out, "request.model", f.request.model);
    put(out, "request.max_tokens", f.request.maxTokens);
    put(out, "request.temperature", f.request.temperature);
    put(out, "request.top_p", f.request.topP);
    put(out, "request.top_k", f.request.topK);
    put(out, "request.seed", f.request.seed);
    put(out, "request.stop_sequences", f.request.stopSequences);
    put(out, "request.choice_count", f.request.choiceCount);
    put(out, "request.encoding_formats", f.request.encodingFormats);
    put(out, "request.output_type", f.request.outputType);
    putJson(out, "request.input_messages", f.request.inputMessagesJson);
    putJson(out, "request.system_instructions", f.request.systemInstructionsJson);
    putJson(out, "request.tool_definitions", f.request.toolDefinitionsJson);
    if (f.response.httpStatus != -1) put(out, "response.http_status", f.response.httpStatus);
    if (f.response.eventStream) put(out, "response.event_stream", true);
    put(out, "response.id", f.response.id);
    put(out, "response.model", f.response.model);
    put(out, "response.finish_reasons", f.response.finishReasons);
    if (f.response.embeddingDimensions != -1) put(out, "response.embedding_dimensions", f.response.embeddingDimensions);
    put(out, "response.error_type", f.response.errorType);
    put(out, "response.error_message", f.response.errorMessage);
    put(out, "response.reported_cost_usd", f.response.reportedCostUsd);
    putJson(out, "response.output_messages", f.response.outputMessagesJson);
    f.response.extra().forEach((k, v) -> put(out, "response.extra." + k, v));
    if (f.usage.inputTokens != -1) put(out, "usage.input_tokens", f.usage.inputTokens);
    if (f.usage.outputTokens != -1) put(out, "usage.output_tokens", f.usage.outputTokens);
    if (f.usage.cacheReadTokens != -1) put(out, "usage.cache_read_tokens", f.usage.cacheReadTokens);
    if (f.usage.cacheCreationTokens != -1) put(out, "usage.cache_creation_tokens", f.usage.cacheCreationTokens);
    if (f.usage.reasoningTokens != -1) put(out, "usage.reasoning_tokens", f.usage.reasoningTokens);
    if (f.stream.streamed) put(out, "stream.streamed", true);
    if (f.stream.outcome != null) put(out, "stream.outcome", f.stream.outcome.value());
    if (f.stream.chunkCount != 0) put(out, "stream.chunk_count", f.stream.chunkCount);
    return out;
  }

  private static void put(Map<String, Object> out, String key, Object value) {
    if (value == null) return;
    if (value instanceof List<?> list && list.isEmpty()) return;
    out.put(key, value instanceof Number n ? (Object) n.doubleValue() : value);
  }

  private static void putJson(Map<String, Object> out, String key, String json) {
    if (json == null) return;
    JsonValue value = parse(json);
    out.put(key, value == null ? "unparseable: " + json : toJava(value));
  }

  private static JsonValue parse(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return JsonTreeReader.parse(bytes, 0, bytes.length, WHOLE);
  }

  private static Object toJava(JsonValue v) {
    switch (v.kind()) {
      case OBJECT: {
        Map<String, Object> m = new TreeMap<>();
        for (int i = 0; i < v.retainedSize(); i++) m.put(v.fieldName(i), toJava(v.get(i)));
        return m;
      }
      case ARRAY: {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < v.retainedSize(); i++) l.add(toJava(v.get(i)));
        return l;
      }
      case STRING:
        return v.asText("");
      case NUMBER:
        return v.asDouble(0);
      case BOOLEAN:
        return v.asBoolean(false);
      default:
        return null;
    }
  }
}
