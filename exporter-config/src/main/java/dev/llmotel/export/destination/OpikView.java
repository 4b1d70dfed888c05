package dev.llmotel.export.destination;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Opik's OpenTelemetry mapper (comet-ml/opik {@code GenAIMappingRules}, {@code GeneralMappingRules}: one rule
 * per attribute name or prefix, first match wins) and its cost calculator ({@code SpanCostCalculator}) read, from the
 * agent's spans:
 * <ul>
 *   <li>Provider: {@code gen_ai.system} (the only provider rule), Opik's spelling of the agent's
 *       {@code gen_ai.provider.name}, so Opik prices the call.</li>
 *   <li>Usage: integers under {@code gen_ai.usage.*} as the calculator names them ({@code input_tokens} and
 *       {@code output_tokens} become prompt/completion tokens, {@code cache_read_input_tokens},
 *       {@code cache_creation_input_tokens}, {@code completion_tokens_details.reasoning_tokens}); for Anthropic and
 *       Bedrock, whose calculators bill the prompt tokens on top of the cache counts, the input tokens without the
 *       cache reads and writes. The agent's double {@code gen_ai.usage.cost} is dropped (Opik's usage rule keeps
 *       integers only; its own price table makes the cost).</li>
 *   <li>Errors: {@code error.type} and {@code error.message} (the provider's message, from the span status) are
 *       metadata; Opik does not read the span status.</li>
 *   <li>Input and output are the conversation only. Opik files metadata attributes under their full key, so the
 *       view sends one JSON object, {@code opik.metadata} (Opik's metadata prefix rule; the mapper parses a JSON
 *       string), whose members have short names: request parameters ({@code gen_ai.request.*} but the model and
 *       temperature, which Opik maps) and response details ({@code gen_ai.response.*} but model, id, finish reasons)
 *       without their prefix ({@code max_tokens}, {@code stream}, {@code time_to_first_chunk}, ...),
 *       {@code output_type}, {@code provider_name}, and every attribute outside the namespaces Opik maps
 *       ({@code http.*}, {@code llmotel.*}, {@code user.id}, ...) under its own name: Opik files an attribute no
 *       rule matches as the span's input.</li>
 *   <li>Tags: the app's baggage tags as {@code opik.tags}; thread: {@code gen_ai.conversation.id} stays.</li>
 * </ul>
 */
public final class OpikView implements SpanView {
  /** One JSON object of metadata: Opik files it whole under this key, its members under their short names. */
  static final AttributeKey<String> METADATA_KEY = AttributeKey.stringKey("opik.metadata");
  static final String REQUEST = "gen_ai.request.";
  static final String RESPONSE = "gen_ai.response.";
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> ERROR_MESSAGE = AttributeKey.stringKey("error.message");
  static final AttributeKey<List<String>> TAGS = AttributeKey.stringArrayKey("opik.tags");
  static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";

  /** gen_ai.* keys Opik maps to model, provider, metadata, usage, conversation or thread: kept as they are. */
  private static final Set<String> GEN_AI_KEPT = new HashSet<>(Arrays.asList(
      "gen_ai.request.model", "gen_ai.request.temperature", "gen_ai.response.model", "gen_ai.response.id",
      "gen_ai.response.finish_reasons", "gen_ai.system", "gen_ai.operation.name", "gen_ai.conversation.id",
      "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions"));
  private static final List<String> GEN_AI_KEPT_PREFIXES = Arrays.asList("gen_ai.tool.", "gen_ai.agent.");

  /** The agent's usage names to the ones Opik's cost calculator reads (it strips the gen_ai.usage. prefix). */
  private static final Map<String, String> USAGE_NAMES = new HashMap<>();
  /** Semconv provider names Opik's price table spells differently. */
  private static final Map<String, String> PROVIDERS = new HashMap<>();
  /** Providers whose Opik calculator takes the prompt tokens as excluding the cache reads and writes. */
  private static final Set<String> CACHE_EXCLUDED_FROM_INPUT = new HashSet<>(Arrays.asList("anthropic", "bedrock"));

  static {
    USAGE_NAMES.put("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens");
    USAGE_NAMES.put("gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens");
    USAGE_NAMES.put("gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.completion_tokens_details.reasoning_tokens");
    PROVIDERS.put("aws.bedrock", "bedrock");
    PROVIDERS.put("azure.ai.openai", "azure");
    PROVIDERS.put("mistral_ai", "mistral");
    PROVIDERS.put("x_ai", "xai");
  }

  static boolean understood(String key) {
    return key.startsWith("gen_ai.") || key.startsWith("llm.") || key.startsWith("error.")
        || key.startsWith("server.") || key.startsWith("input.") || key.startsWith("output.")
        || key.startsWith("opik.") || key.equals("thread_id") || key.equals("session.id");
  }

  /** Opik's name for a provider. */
  static String opikProvider(String provider) {
    String p = PROVIDERS.get(provider);
    return p == null ? provider : p;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public SpanData apply(SpanData span) {
    Attributes in = span.getAttributes();
    AttributesBuilder out = Attributes.builder();
    Map<String, Object> metadata = new LinkedHashMap<>();
    String provider = in.get(SYSTEM) != null ? in.get(SYSTEM)
        : in.get(PROVIDER_NAME) == null ? null : opikProvider(in.get(PROVIDER_NAME));
    for (Map.Entry<AttributeKey<?>, Object> e : in.asMap().entrySet()) {
      AttributeKey<?> key = e.getKey();
      String name = key.getKey();
      Object value = e.getValue();
      if (name.equals("gen_ai.usage.cost")) continue;
      if (name.equals("llmotel.tags")) {
        out.put(TAGS, (List<String>) value);
        continue;
      }
      if (name.equals(INPUT_TOKENS) && value instanceof Long && CACHE_EXCLUDED_FROM_INPUT.contains(provider)) {
        long cache = count(in, "gen_ai.usage.cache_read.input_tokens")
            + count(in, "gen_ai.usage.cache_creation.input_tokens");
        out.put(AttributeKey.longKey(INPUT_TOKENS), Math.max(0, (Long) value - cache));
        continue;
      }
      String metadataName = metadataName(name);
      if (metadataName != null) {
        metadata.put(metadataName, value);
        continue;
      }
      String usage = USAGE_NAMES.get(name);
      out.put((AttributeKey<Object>) (usage == null ? key : rename(key, usage)), value);
    }
    if (provider != null) out.put(SYSTEM, provider);
    if (span.getStatus().getStatusCode() == StatusCode.ERROR && in.get(ERROR_MESSAGE) == null) {
      String message = span.getStatus().getDescription();
      if (message != null && !message.isEmpty()) out.put(ERROR_MESSAGE, message);
    }
    if (!metadata.isEmpty()) out.put(METADATA_KEY, withAppMetadata(Json.object(metadata), in.get(METADATA_KEY)));
    return new ViewedSpanData(span, out.build());
  }

  /**
   * The view's {@code opik.metadata} object with the application's own (when it set one, as a JSON object) joined in
   * after it: the application's members win where both name one (a JSON reader keeps a key's last value). An
   * application value that is no JSON object is kept under {@code "opik.metadata"}.
   */
  static String withAppMetadata(String ours, String app) {
    if (app == null) return ours;
    String trimmed = app.trim();
    if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) {
      return ours.substring(0, ours.length() - 1) + "," + Json.object(java.util.Collections.singletonMap(
          "opik.metadata", app)).substring(1);
    }
    String members = trimmed.substring(1, trimmed.length() - 1).trim();
    if (members.isEmpty()) return ours;
    return ours.substring(0, ours.length() - 1) + "," + members + "}";
  }

  /**
   * The short name an attribute gets in the {@code opik.metadata} object, or null when it stays an attribute (Opik
   * maps it to model, provider, usage, thread, tags, the conversation, or metadata under its own name).
   */
  static String metadataName(String name) {
    if (!name.startsWith("gen_ai.")) return understood(name) ? null : name;
    if (name.startsWith("gen_ai.usage.") || GEN_AI_KEPT.contains(name)) return null;
    for (String prefix : GEN_AI_KEPT_PREFIXES) {
      if (name.startsWith(prefix)) return null;
    }
    // request parameters, response details and anything else Opik would file as input or output
    if (name.startsWith(REQUEST)) return name.substring(REQUEST.length());
    if (name.startsWith(RESPONSE)) return name.substring(RESPONSE.length());
    if (name.equals(PROVIDER_NAME.getKey())) return "provider_name";
    if (name.equals("gen_ai.output.type")) return "output_type";
    return name.substring("gen_ai.".length());
  }

  private static long count(Attributes a, String key) {
    Long v = a.get(AttributeKey.longKey(key));
    return v == null || v < 0 ? 0 : v;
  }

  static AttributeKey<?> rename(AttributeKey<?> key, String name) {
    switch (key.getType()) {
      case BOOLEAN: return AttributeKey.booleanKey(name);
      case LONG: return AttributeKey.longKey(name);
      case DOUBLE: return AttributeKey.doubleKey(name);
      case STRING_ARRAY: return AttributeKey.stringArrayKey(name);
      case BOOLEAN_ARRAY: return AttributeKey.booleanArrayKey(name);
      case LONG_ARRAY: return AttributeKey.longArrayKey(name);
      case DOUBLE_ARRAY: return AttributeKey.doubleArrayKey(name);
      default: return AttributeKey.stringKey(name);
    }
  }
}
