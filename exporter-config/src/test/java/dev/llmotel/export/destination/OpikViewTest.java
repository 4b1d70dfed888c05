package dev.llmotel.export.destination;

import static dev.llmotel.export.destination.TestSpans.span;
import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Opik view read the way Opik's OpenTelemetry mapper and cost calculator read a span (comet-ml/opik,
 * apps/opik-backend/.../domain/mapping/otel/GenAIMappingRules.java and GeneralMappingRules.java: one rule per name or
 * prefix, an attribute matching none goes to the span's input; OpenTelemetryMappingUtils.extractUsageField: integer
 * usage under the name after "gen_ai.usage.", input_tokens/output_tokens renamed prompt_tokens/completion_tokens;
 * domain/cost/SpanCostCalculator.java: textGenerationWithCacheCostOpenAI and textGenerationWithCacheCostAnthropic).
 */
class OpikViewTest {
  private static final OpikView VIEW = new OpikView();

  enum Outcome { INPUT, OUTPUT, MODEL, PROVIDER, USAGE, METADATA, THREAD_ID, TAGS }

  /** Opik's rules in its order (GenAIMappingRules, then GeneralMappingRules): name, prefix?, outcome. */
  private static final Object[][] RULES = {
      {"gen_ai.prompt", false, Outcome.INPUT}, {"gen_ai.completion", false, Outcome.OUTPUT},
      {"gen_ai.request_model", false, Outcome.MODEL}, {"gen_ai.response_model", false, Outcome.MODEL},
      {"gen_ai.request.model", false, Outcome.MODEL}, {"gen_ai.request.temperature", false, Outcome.METADATA},
      {"gen_ai.response.id", false, Outcome.METADATA}, {"gen_ai.response.model", false, Outcome.MODEL},
      {"gen_ai.response.finish_reasons", false, Outcome.METADATA}, {"gen_ai.system", false, Outcome.PROVIDER},
      {"gen_ai.usage.", true, Outcome.USAGE}, {"gen_ai.input.", true, Outcome.INPUT},
      {"gen_ai.output.", true, Outcome.OUTPUT}, {"gen_ai.system_instructions", false, Outcome.INPUT},
      {"gen_ai.cost.", true, Outcome.METADATA}, {"gen_ai.tool.", true, Outcome.METADATA},
      {"gen_ai.agent.", true, Outcome.METADATA}, {"gen_ai.token.type", false, Outcome.METADATA},
      {"gen_ai.framework", false, Outcome.METADATA}, {"gen_ai.request.", true, Outcome.INPUT},
      {"gen_ai.response", true, Outcome.OUTPUT}, {"gen_ai.operation.name", false, Outcome.METADATA},
      {"gen_ai.conversation.id", false, Outcome.THREAD_ID},
      {"input", true, Outcome.INPUT}, {"output", true, Outcome.OUTPUT}, {"error.type", false, Outcome.METADATA},
      {"error.message", false, Outcome.METADATA}, {"server.address", false, Outcome.METADATA},
      {"server.port", false, Outcome.METADATA}, {"thread_id", false, Outcome.THREAD_ID},
      {"opik.tags", false, Outcome.TAGS}, {"opik.metadata", true, Outcome.METADATA}};

  static Outcome outcome(String key) {
    for (Object[] r : RULES) {
      String rule = (String) r[0];
      if ((Boolean) r[1] ? key.startsWith(rule) : key.equals(rule)) return (Outcome) r[2];
    }
    return Outcome.INPUT;
  }

  /** What an Opik span ends up with: its fields per outcome, usage as Opik's integers. */
  static final class OpikSpan {
    final Map<String, Object> input = new TreeMap<>();
    final Map<String, Object> output = new TreeMap<>();
    final Map<String, Object> metadata = new TreeMap<>();
    final Map<String, Integer> usage = new TreeMap<>();
    String provider;
    String model;
    String threadId;
    Object tags;

    OpikSpan(SpanData span) {
      span.getAttributes().forEach((k, v) -> {
        String key = k.getKey();
        switch (outcome(key)) {
          case INPUT: input.put(key, v); break;
          case OUTPUT: output.put(key, v); break;
          case MODEL: model = (String) v; break;
          case PROVIDER: provider = (String) v; break;
          case THREAD_ID: threadId = (String) v; break;
          case TAGS: tags = v; break;
          case METADATA:
            // extractToJsonColumn: a string starting with "{" is parsed into a JSON object, under the full key
            metadata.put(key, v instanceof String && ((String) v).startsWith("{") ? new Yaml().load((String) v) : v);
            break;
          case USAGE:
            if (v instanceof Long) { // integers only: a double is dropped
              String name = key.substring("gen_ai.usage.".length());
              usage.put(name.equals("input_tokens") ? "prompt_tokens"
                  : name.equals("output_tokens") ? "completion_tokens" : name, ((Long) v).intValue());
            }
            break;
          default: throw new AssertionError();
        }
      });
    }

    int u(String key) { return usage.getOrDefault(key, 0); }

    /** A member of the opik.metadata object, numbers as long or double. */
    @SuppressWarnings("unchecked")
    Object meta(String shortName) {
      Map<String, Object> m = (Map<String, Object>) metadata.get("opik.metadata");
      Object v = m == null ? null : m.get(shortName);
      return v instanceof Integer ? Long.valueOf((Integer) v) : v;
    }

    /** textGenerationWithCacheCostOpenAI: prompt tokens include the cached ones, which are billed apart. */
    double openAiCost(double in, double cachedIn, double out) {
      int cached = u("cache_read_input_tokens");
      return (u("prompt_tokens") - cached) * in + cached * cachedIn + u("completion_tokens") * out;
    }

    /** textGenerationWithCachedTokensNotIncludedInCost (Anthropic, Bedrock): prompt tokens exclude the cache. */
    double anthropicCost(double in, double cacheRead, double cacheWrite, double out) {
      return u("prompt_tokens") * in + u("completion_tokens") * out + u("cache_creation_input_tokens") * cacheWrite
          + u("cache_read_input_tokens") * cacheRead;
    }
  }

  private static Attributes call(String provider) {
    return Attributes.builder()
        .put("gen_ai.operation.name", "chat").put("gen_ai.provider.name", provider)
        .put("gen_ai.request.model", "gpt-4o-mini").put("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
        .put(AttributeKey.longKey("gen_ai.request.max_tokens"), 256L)
        .put(AttributeKey.booleanKey("gen_ai.request.stream"), true)
        .put(AttributeKey.doubleKey("gen_ai.request.temperature"), 0.2)
        .put(AttributeKey.doubleKey("gen_ai.request.top_p"), 0.9)
        .put("gen_ai.output.type", "text")
        .put("gen_ai.response.id", "chatcmpl-1")
        .put(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
        .put(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk"), 0.25)
        .put(AttributeKey.longKey("gen_ai.usage.input_tokens"), 1500L)
        .put(AttributeKey.longKey("gen_ai.usage.output_tokens"), 500L)
        .put(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"), 300L)
        .put(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens"), 200L)
        .put(AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens"), 100L)
        .put(AttributeKey.doubleKey("gen_ai.usage.cost"), 0.001)
        .put(AttributeKey.doubleKey("llmotel.cost.input"), 0.0005)
        .put("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]")
        .put("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\"}]}]")
        .put("gen_ai.conversation.id", "conv-1")
        .put("user.id", "user-7")
        .put(AttributeKey.stringArrayKey("llmotel.tags"), List.of("beta"))
        .put(AttributeKey.longKey("http.response.status_code"), 200L)
        .put("llmotel.stream.outcome", "completed")
        .put("server.address", "api.openai.com").build();
  }

  /** GenAIMappingRules: gen_ai.system is the only PROVIDER rule; gen_ai.provider.name matches none (→ input). */
  @Test
  void providerIsGenAiSystemInOpiksSpelling() {
    assertEquals("openai", new OpikSpan(VIEW.apply(span(call("openai")))).provider);
    assertEquals("bedrock", new OpikSpan(VIEW.apply(span(call("aws.bedrock")))).provider);
    assertEquals("azure", new OpikSpan(VIEW.apply(span(call("azure.ai.openai")))).provider);
    assertEquals("gpt-4o-mini-2024-07-18", new OpikSpan(VIEW.apply(span(call("openai")))).model);
  }

  /**
   * Input and output are the conversation only: gen_ai.request.* (but model, temperature) is an INPUT rule and
   * gen_ai.response* (but model, id, finish_reasons) an OUTPUT rule, so those move into the opik.metadata object
   * (opik.metadata is a METADATA prefix rule; extractToJsonColumn parses the JSON object), under short names.
   */
  @Test
  void inputAndOutputAreTheConversationOnly() {
    OpikSpan s = new OpikSpan(VIEW.apply(span(call("openai"))));
    assertEquals(List.of("gen_ai.input.messages"), new ArrayList<>(s.input.keySet()));
    assertEquals(List.of("gen_ai.output.messages"), new ArrayList<>(s.output.keySet()));
    assertEquals(256L, s.meta("max_tokens"));
    assertEquals(true, s.meta("stream"));
    assertEquals(0.9, s.meta("top_p"));
    assertEquals("text", s.meta("output_type"));
    assertEquals(0.25, s.meta("time_to_first_chunk"));
    assertEquals("openai", s.meta("provider_name"));
    assertEquals(0.2, s.metadata.get("gen_ai.request.temperature"));
    assertEquals("chatcmpl-1", s.metadata.get("gen_ai.response.id"));
    assertEquals(200L, s.meta("http.response.status_code"));
    assertEquals("completed", s.meta("llmotel.stream.outcome"));
    assertEquals("user-7", s.meta("user.id"));
    assertEquals(List.of("stop"), s.metadata.get("gen_ai.response.finish_reasons"));
    assertEquals("api.openai.com", s.metadata.get("server.address"));
  }

  /** GenAIMappingRules: gen_ai.conversation.id is the THREAD_ID rule; GeneralMappingRules: opik.tags is TAGS. */
  @Test
  void threadAndTags() {
    OpikSpan s = new OpikSpan(VIEW.apply(span(call("openai"))));
    assertEquals("conv-1", s.threadId);
    assertEquals(List.of("beta"), s.tags);
  }

  /**
   * extractUsageField keeps integers only (the double gen_ai.usage.cost is dropped, so the view drops it);
   * textGenerationWithCacheCostOpenAI reads cached tokens as cache_read_input_tokens and subtracts them from the
   * prompt tokens: with the same per-token prices it arrives at the agent's own cost.
   */
  @Test
  void openAiUsageIsPricedByOpiksCalculatorAsTheAgentPricesIt() {
    OpikSpan s = new OpikSpan(VIEW.apply(span(call("openai"))));
    assertEquals(1500, s.u("prompt_tokens"));
    assertEquals(500, s.u("completion_tokens"));
    assertEquals(300, s.u("cache_read_input_tokens"));
    assertEquals(100, s.u("completion_tokens_details.reasoning_tokens"));
    assertFalse(s.usage.containsKey("cost"));
    assertFalse(s.usage.containsKey("cache_read.input_tokens"), "the agent's name, which no calculator reads");
    // the agent's table for gpt-4o-mini: $0.15/M input, $0.075/M cached input, $0.60/M output, no cache-write price
    double agent = new dev.llmotel.cost.ModelPrice(0.15e-6, 0.60e-6, 0.075e-6, Double.NaN, Double.NaN, Double.NaN)
        .cost(1500, 500, 300, 200);
    assertEquals(agent, s.openAiCost(0.15e-6, 0.075e-6, 0.60e-6), 1e-12);
  }

  /**
   * textGenerationWithCacheCostAnthropic bills prompt tokens on top of the cache reads and writes: for Anthropic the
   * view sends the input without them, and the calculator arrives at the agent's cost (semconv input includes both).
   */
  @Test
  void anthropicInputTokensExcludeTheCacheAsItsCalculatorExpects() {
    OpikSpan s = new OpikSpan(VIEW.apply(span(call("anthropic"))));
    assertEquals(1000, s.u("prompt_tokens"));
    assertEquals(300, s.u("cache_read_input_tokens"));
    assertEquals(200, s.u("cache_creation_input_tokens"));
    double agent = 1000 * 3e-6 + 300 * 0.3e-6 + 200 * 3.75e-6 + 500 * 15e-6;
    assertEquals(agent, s.anthropicCost(3e-6, 0.3e-6, 3.75e-6, 15e-6), 1e-12);
  }

  /** GeneralMappingRules: error.type and error.message are metadata; the span status is not read by Opik. */
  @Test
  void aFailedCallShowsItsErrorAndTheProvidersMessage() {
    Attributes a = Attributes.builder().put("gen_ai.provider.name", "openai").put("gen_ai.request.model", "gpt-4o")
        .put("error.type", "429").put(AttributeKey.longKey("http.response.status_code"), 429L).build();
    OpikSpan s = new OpikSpan(VIEW.apply(span(a, Attributes.empty(), "Rate limit reached for gpt-4o")));
    assertEquals("429", s.metadata.get("error.type"));
    assertEquals("Rate limit reached for gpt-4o", s.metadata.get("error.message"));
    OpikSpan ok = new OpikSpan(VIEW.apply(span(a)));
    assertNull(ok.metadata.get("error.message"), "no status message, no error message");
  }

  @Test
  void metadataValuesSurviveAsJson() {
    String note = "say \"hi\"\n\tbye \\ \u0001";
    OpikSpan s = new OpikSpan(VIEW.apply(span(Attributes.builder().put("app.note", note)
        .put(AttributeKey.longArrayKey("app.ids"), List.of(1L, 2L)).put(AttributeKey.doubleKey("app.nan"), Double.NaN)
        .build())));
    assertEquals(note, s.meta("app.note"));
    assertEquals(List.of(1, 2), s.meta("app.ids"));
    assertNull(s.meta("app.nan"));
    assertTrue(s.input.isEmpty(), s.input.toString());
  }

  /** The application's own opik.metadata object is kept, joined with the view's (its members win). */
  @Test
  void theApplicationsOwnMetadataIsKept() {
    OpikSpan s = new OpikSpan(VIEW.apply(span(Attributes.builder().putAll(call("openai"))
        .put("opik.metadata", "{\"team\": \"voice\", \"max_tokens\": 1}").build())));
    assertEquals("voice", s.meta("team"));
    assertEquals(1L, s.meta("max_tokens"), "the application's value wins");
    OpikSpan odd = new OpikSpan(VIEW.apply(span(Attributes.builder().putAll(call("openai"))
        .put("opik.metadata", "not json").build())));
    assertEquals("not json", odd.meta("opik.metadata"));
    assertEquals(256L, odd.meta("max_tokens"));
  }

  @Test
  void nothingLandsInTheInputByAccident() {
    OpikSpan s = new OpikSpan(VIEW.apply(span(call("openai"))));
    assertEquals(Arrays.asList("gen_ai.input.messages"), new ArrayList<>(s.input.keySet()), s.input.toString());
  }
}
