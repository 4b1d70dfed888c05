package dev.llmotel.export.destination;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What Langfuse's OTLP ingestion ({@code OtelIngestionProcessor} of langfuse/langfuse) reads, from the agent's
 * spans. Langfuse already maps the GenAI attributes (generation type, model, session from
 * {@code gen_ai.conversation.id}, user from {@code user.id}); this view adds what it cannot derive:
 * <ul>
 *   <li>{@code langfuse.observation.usage_details}: the usage as Langfuse's own keys, read verbatim before any
 *       {@code gen_ai.usage.*}: {@code input} (without cache reads and writes), {@code input_cached_tokens},
 *       {@code input_cache_creation}, {@code output} (without reasoning), {@code output_reasoning_tokens},
 *       {@code total}; the parts add up to the call's input plus output tokens.</li>
 *   <li>{@code langfuse.observation.cost_details}: the agent's price split under the same keys, when the agent's price
 *       table priced the call (a proxy's reported cost: {@code total} only). A span without it lets Langfuse price
 *       the generation from its own model prices and the usage above; any cost sent wins over Langfuse's.</li>
 *   <li>{@code langfuse.observation.completion_start_time}: the time to first token as an absolute timestamp.</li>
 *   <li>{@code langfuse.trace.tags} from the app's baggage tags, {@code langfuse.release} from the resource's
 *       {@code service.version}, {@code langfuse.environment} from {@code deployment.environment(.name)} in the form
 *       Langfuse accepts (lower case, {@code [a-z0-9_-]}, at most 40 characters, not starting with "langfuse").</li>
 * </ul>
 * No {@code langfuse.trace.*} name, input or output: for a root span Langfuse names the trace itself
 * ({@code createTraceEvent}: {@code langfuse.trace.name ?? extractName(span.name, attributes)}, i.e. the span name
 * {@code chat gpt-4o-mini} for an LLM span, the tool name for a tool span; a name the application put on its own
 * root span passes unchanged) and builds the trace's input and output from the root span's
 * {@code gen_ai.input.messages} (with {@code gen_ai.system_instructions} prepended) and
 * {@code gen_ai.output.messages}, present only with content capture on. On a child span any of them would be a trace
 * update renaming the app's trace; sending input/output as well would double the content and lose the system
 * instructions.
 * Langfuse has dropped spans for unknown {@code gen_ai.usage.*} keys, so only the known ones pass; the bare
 * {@code gen_ai.usage.cost} and the agent's {@code llmotel.cost.*} are replaced by the cost details.
 */
public final class LangfuseView implements SpanView {
  static final AttributeKey<Double> TTFC = AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
  static final AttributeKey<String> COMPLETION_START = AttributeKey.stringKey(
      "langfuse.observation.completion_start_time");
  static final AttributeKey<String> USAGE_DETAILS = AttributeKey.stringKey("langfuse.observation.usage_details");
  static final AttributeKey<String> COST_DETAILS = AttributeKey.stringKey("langfuse.observation.cost_details");
  static final AttributeKey<List<String>> TRACE_TAGS = AttributeKey.stringArrayKey("langfuse.trace.tags");
  static final AttributeKey<String> RELEASE = AttributeKey.stringKey("langfuse.release");
  static final AttributeKey<String> ENVIRONMENT = AttributeKey.stringKey("langfuse.environment");

  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_CREATION_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
  static final AttributeKey<Double> COST = AttributeKey.doubleKey("gen_ai.usage.cost");
  static final AttributeKey<Double> COST_INPUT = AttributeKey.doubleKey("llmotel.cost.input");
  static final AttributeKey<Double> COST_CACHE_READ = AttributeKey.doubleKey("llmotel.cost.cache_read");
  static final AttributeKey<Double> COST_CACHE_CREATION = AttributeKey.doubleKey("llmotel.cost.cache_creation");
  static final AttributeKey<Double> COST_OUTPUT = AttributeKey.doubleKey("llmotel.cost.output");
  static final AttributeKey<List<String>> TAGS = AttributeKey.stringArrayKey("llmotel.tags");
  static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
  static final List<AttributeKey<String>> ENVIRONMENT_KEYS = Arrays.asList(
      AttributeKey.stringKey("deployment.environment.name"), AttributeKey.stringKey("deployment.environment"));

  // Langfuse's usage and cost keys (its OTel mapper's names for gen_ai cache and reasoning tokens)
  static final String INPUT = "input";
  static final String INPUT_CACHED = "input_cached_tokens";
  static final String INPUT_CACHE_CREATION = "input_cache_creation";
  static final String OUTPUT = "output";
  static final String OUTPUT_REASONING = "output_reasoning_tokens";
  static final String TOTAL = "total";

  private static final Set<String> KNOWN_USAGE = new HashSet<>(Arrays.asList(
      "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.cache_read.input_tokens",
      "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.reasoning.output_tokens"));

  @Override
  public SpanData apply(SpanData span) {
    Attributes in = span.getAttributes();
    AttributesBuilder out = in.toBuilder();
    out.removeIf(k -> k.getKey().startsWith("gen_ai.usage.") && !KNOWN_USAGE.contains(k.getKey())
        || k.getKey().startsWith("llmotel.cost.") || k.getKey().equals(TAGS.getKey()));

    Double ttfc = in.get(TTFC);
    if (ttfc != null) {
      long at = span.getStartEpochNanos() + (long) (ttfc * 1e9);
      out.put(COMPLETION_START, Instant.ofEpochSecond(0, at).toString());
    }
    String usage = usageDetails(in);
    if (usage != null) out.put(USAGE_DETAILS, usage);
    String cost = costDetails(in);
    if (cost != null) out.put(COST_DETAILS, cost);
    List<String> tags = in.get(TAGS);
    if (tags != null && !tags.isEmpty()) out.put(TRACE_TAGS, tags);

    Attributes resource = span.getResource().getAttributes();
    String version = resource.get(SERVICE_VERSION);
    if (version != null && !version.isEmpty() && in.get(RELEASE) == null) out.put(RELEASE, version);
    if (in.get(ENVIRONMENT) == null) {
      String env = environment(in, resource);
      if (env != null) out.put(ENVIRONMENT, env);
    }
    return new ViewedSpanData(span, out.build());
  }

  /** Langfuse's usage details; null without token counts. */
  static String usageDetails(Attributes a) {
    Long input = a.get(INPUT_TOKENS);
    Long output = a.get(OUTPUT_TOKENS);
    if (input == null && output == null) return null;
    Map<String, Number> d = new LinkedHashMap<>();
    long total = 0;
    if (input != null) {
      long cacheRead = count(a.get(CACHE_READ_TOKENS));
      long cacheCreation = count(a.get(CACHE_CREATION_TOKENS));
      d.put(INPUT, Math.max(0, input - cacheRead - cacheCreation));
      if (a.get(CACHE_READ_TOKENS) != null) d.put(INPUT_CACHED, cacheRead);
      if (a.get(CACHE_CREATION_TOKENS) != null) d.put(INPUT_CACHE_CREATION, cacheCreation);
      total += Math.max(input, cacheRead + cacheCreation);
    }
    if (output != null) {
      long reasoning = Math.min(count(a.get(REASONING_TOKENS)), output);
      d.put(OUTPUT, output - reasoning);
      if (a.get(REASONING_TOKENS) != null) d.put(OUTPUT_REASONING, reasoning);
      total += output;
    }
    d.put(TOTAL, total);
    return json(d);
  }

  /** Langfuse's cost details from the agent's price split, or the total alone; null when the agent has no cost. */
  static String costDetails(Attributes a) {
    Double total = a.get(COST);
    Double input = a.get(COST_INPUT);
    Double output = a.get(COST_OUTPUT);
    Map<String, Number> d = new LinkedHashMap<>();
    if (input != null && output != null) {
      d.put(INPUT, input);
      Double cacheRead = a.get(COST_CACHE_READ);
      Double cacheCreation = a.get(COST_CACHE_CREATION);
      if (cacheRead != null) d.put(INPUT_CACHED, cacheRead);
      if (cacheCreation != null) d.put(INPUT_CACHE_CREATION, cacheCreation);
      // reasoning is billed as output: its share of the output cost, under the usage's key
      long outTokens = count(a.get(OUTPUT_TOKENS));
      long reasoning = Math.min(count(a.get(REASONING_TOKENS)), outTokens);
      if (a.get(REASONING_TOKENS) != null && outTokens > 0) {
        double reasoningCost = output * reasoning / outTokens;
        d.put(OUTPUT, output - reasoningCost);
        d.put(OUTPUT_REASONING, reasoningCost);
      } else {
        d.put(OUTPUT, output);
      }
      d.put(TOTAL, total != null ? total
          : input + output + (cacheRead == null ? 0 : cacheRead) + (cacheCreation == null ? 0 : cacheCreation));
    } else if (total != null) {
      d.put(TOTAL, total);
    } else {
      return null;
    }
    return json(d);
  }

  /** deployment.environment(.name) of the span or resource, as Langfuse accepts an environment; null if none. */
  static String environment(Attributes span, Attributes resource) {
    for (AttributeKey<String> key : ENVIRONMENT_KEYS) {
      String v = span.get(key);
      if (v == null || v.isEmpty()) v = resource.get(key);
      if (v != null && !v.isEmpty()) return sanitizeEnvironment(v);
    }
    return null;
  }

  static String sanitizeEnvironment(String value) {
    StringBuilder b = new StringBuilder();
    for (char c : value.trim().toLowerCase(Locale.ROOT).toCharArray()) {
      b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ? c : '-');
    }
    String s = b.toString();
    if (s.startsWith("langfuse")) s = "env-" + s;
    if (s.length() > 40) s = s.substring(0, 40);
    return s.isEmpty() ? null : s;
  }

  private static long count(Long v) {
    return v == null || v < 0 ? 0 : v;
  }

  static String json(Map<String, Number> values) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Number> e : values.entrySet()) {
      if (b.length() > 1) b.append(',');
      b.append('"').append(e.getKey()).append("\":");
      Number n = e.getValue();
      if (n instanceof Double && (((Double) n).isNaN() || ((Double) n).isInfinite())) b.append('0');
      else b.append(n);
    }
    return b.append('}').toString();
  }
}
