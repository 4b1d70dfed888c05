package dev.llmotel.testkit.dialect;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.RequestFacts;
import dev.llmotel.dialect.ResponseFacts;
import dev.llmotel.dialect.StreamFacts;
import dev.llmotel.dialect.UsageFacts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The facts of a call as one flat, sorted map of the facts that differ from their defaults: the form of a
 * recording's {@code expected.json}, and the one place that knows which fact has which key.
 *
 * <p>Keys: {@code request.operation_name}, {@code request.provider_name}, {@code request.model},
 * {@code request.max_tokens}, {@code request.temperature}, {@code request.top_p}, {@code request.top_k},
 * {@code request.frequency_penalty}, {@code request.presence_penalty}, {@code request.seed},
 * {@code request.choice_count}, {@code request.stop_sequences}, {@code request.encoding_formats},
 * {@code request.output_type}, {@code request.input_messages}, {@code request.system_instructions},
 * {@code request.tool_definitions}, {@code response.http_status}, {@code response.event_stream}, {@code response.id},
 * {@code response.model}, {@code response.finish_reasons}, {@code response.embedding_dimensions},
 * {@code response.error_type}, {@code response.error_message}, {@code response.reported_cost_usd},
 * {@code response.output_messages}, {@code response.extra.<attribute>}, {@code usage.input_tokens},
 * {@code usage.output_tokens}, {@code usage.cache_read_tokens}, {@code usage.cache_creation_tokens},
 * {@code usage.reasoning_tokens}, {@code stream.streamed}, {@code stream.outcome} ({@code completed},
 * {@code abandoned}, {@code truncated}, {@code failed}), {@code stream.chunk_count}.
 *
 * <p>A key whose fact has its default (null, -1, false, 0 chunks, an empty list) is absent. The content facts (the
 * {@code *_messages}, {@code system_instructions} and {@code tool_definitions} JSON strings) appear as the JSON values
 * they hold, so they compare as JSON; a string that is not valid JSON stays a string (and so differs from any
 * expected JSON value but a string). Chunk times and the response's content type are not part of it.
 */
public final class FactsSnapshot {
  private FactsSnapshot() {}

  /** The facts as a flat map sorted by key; values are strings, numbers, booleans, lists and JSON values. */
  public static SortedMap<String, Object> of(CallFacts facts) {
    SortedMap<String, Object> m = new TreeMap<>();
    RequestFacts q = facts.request;
    put(m, "request.operation_name", q.operationName);
    put(m, "request.provider_name", q.providerName);
    put(m, "request.model", q.model);
    put(m, "request.max_tokens", q.maxTokens);
    put(m, "request.temperature", q.temperature);
    put(m, "request.top_p", q.topP);
    put(m, "request.top_k", q.topK);
    put(m, "request.frequency_penalty", q.frequencyPenalty);
    put(m, "request.presence_penalty", q.presencePenalty);
    put(m, "request.seed", q.seed);
    put(m, "request.choice_count", q.choiceCount);
    putList(m, "request.stop_sequences", q.stopSequences);
    putList(m, "request.encoding_formats", q.encodingFormats);
    put(m, "request.output_type", q.outputType);
    putJson(m, "request.input_messages", q.inputMessagesJson);
    putJson(m, "request.system_instructions", q.systemInstructionsJson);
    putJson(m, "request.tool_definitions", q.toolDefinitionsJson);

    ResponseFacts r = facts.response;
    if (r.httpStatus != -1) m.put("response.http_status", (long) r.httpStatus);
    if (r.eventStream) m.put("response.event_stream", true);
    put(m, "response.id", r.id);
    put(m, "response.model", r.model);
    putList(m, "response.finish_reasons", r.finishReasons);
    if (r.embeddingDimensions != -1) m.put("response.embedding_dimensions", r.embeddingDimensions);
    put(m, "response.error_type", r.errorType);
    put(m, "response.error_message", r.errorMessage);
    put(m, "response.reported_cost_usd", r.reportedCostUsd);
    putJson(m, "response.output_messages", r.outputMessagesJson);
    for (Map.Entry<String, Object> e : r.extra().entrySet()) put(m, "response.extra." + e.getKey(), e.getValue());

    UsageFacts u = facts.usage;
    putCount(m, "usage.input_tokens", u.inputTokens);
    putCount(m, "usage.output_tokens", u.outputTokens);
    putCount(m, "usage.cache_read_tokens", u.cacheReadTokens);
    putCount(m, "usage.cache_creation_tokens", u.cacheCreationTokens);
    putCount(m, "usage.reasoning_tokens", u.reasoningTokens);

    StreamFacts s = facts.stream;
    if (s.streamed) m.put("stream.streamed", true);
    if (s.outcome != null) m.put("stream.outcome", s.outcome.value());
    if (s.chunkCount != 0) m.put("stream.chunk_count", (long) s.chunkCount);
    return m;
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value == null) return;
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      value = ((Number) value).longValue();
    } else if (value instanceof Float) {
      value = ((Float) value).doubleValue();
    } else if (!(value instanceof String || value instanceof Long || value instanceof Double
        || value instanceof Boolean)) {
      value = String.valueOf(value);
    }
    m.put(key, value);
  }

  private static void putCount(Map<String, Object> m, String key, long value) {
    if (value != -1) m.put(key, value);
  }

  private static void putList(Map<String, Object> m, String key, List<String> list) {
    if (list != null && !list.isEmpty()) m.put(key, Collections.unmodifiableList(new ArrayList<Object>(list)));
  }

  private static void putJson(Map<String, Object> m, String key, String json) {
    if (json == null) return;
    Object value;
    try {
      value = Json.parse(json);
    } catch (IllegalArgumentException notJson) {
      value = json;
    }
    m.put(key, value);
  }

  /**
   * Reads an {@code expected.json}: one flat JSON object.
   *
   * @throws IllegalArgumentException when the text is not one JSON object
   */
  public static SortedMap<String, Object> parse(String json) {
    Object value = Json.parse(json);
    if (!(value instanceof Map)) throw new IllegalArgumentException("not a JSON object");
    SortedMap<String, Object> m = new TreeMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) m.put((String) e.getKey(), e.getValue());
    return m;
  }

  /** A snapshot as the text of an {@code expected.json}: one key per line, sorted, values as compact JSON. */
  public static String toJson(Map<String, Object> snapshot) {
    StringBuilder sb = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Object> e : new TreeMap<>(snapshot).entrySet()) {
      sb.append("  ");
      Json.quote(sb, e.getKey());
      sb.append(": ").append(Json.write(e.getValue()));
      sb.append(++i < snapshot.size() ? ",\n" : "\n");
    }
    return sb.append("}\n").toString();
  }

  /**
   * The differences between two snapshots, one line per key, or an empty string when they are equal. Values are
   * compared as JSON: {@code 1} and {@code 1.0} are equal, object keys in any order.
   */
  public static String diff(Map<String, Object> expected, Map<String, Object> actual) {
    StringBuilder sb = new StringBuilder();
    TreeSet<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String key : keys) {
      boolean inExpected = expected.containsKey(key);
      boolean inActual = actual.containsKey(key);
      if (inExpected && !inActual) {
        sb.append("  missing ").append(key).append(": expected ").append(Json.write(expected.get(key)))
            .append(", the dialect left it at its default\n");
      } else if (!inExpected) {
        sb.append("  extra   ").append(key).append(": ").append(Json.write(actual.get(key)))
            .append(", not in expected.json\n");
      } else if (!Json.canonical(expected.get(key)).equals(Json.canonical(actual.get(key)))) {
        sb.append("  differs ").append(key).append(": expected ").append(Json.write(expected.get(key)))
            .append(" but was ").append(Json.write(actual.get(key))).append('\n');
      }
    }
    return sb.toString();
  }
}
