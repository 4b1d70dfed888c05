package dev.llmotel.export.destination;

import static dev.llmotel.export.destination.TestSpans.json;
import static dev.llmotel.export.destination.TestSpans.num;
import static dev.llmotel.export.destination.TestSpans.span;
import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Langfuse view read the way Langfuse's OTLP ingestion reads a span: langfuse/langfuse
 * packages/shared/src/server/otel/OtelIngestionProcessor.ts (extractUsageDetails, extractCostDetails,
 * extractUserId, extractSessionId, extractTags, extractEnvironment, extractCompletionStartTime, and the release /
 * version lookups in createObservationEvent) and attributes.ts (LangfuseOtelSpanAttributes).
 */
class LangfuseViewTest {
  private static final LangfuseView VIEW = new LangfuseView();

  /** gpt-4o-mini prices the agent's table gives: $0.15/M input, $0.075/M cached input, $0.60/M output. */
  private static Attributes pricedOpenAiCall() {
    return Attributes.builder()
        .put("gen_ai.operation.name", "chat").put("gen_ai.provider.name", "openai")
        .put("gen_ai.request.model", "gpt-4o-mini").put("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
        .put(AttributeKey.longKey("gen_ai.usage.input_tokens"), 1000L)
        .put(AttributeKey.longKey("gen_ai.usage.output_tokens"), 500L)
        .put(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"), 200L)
        .put(AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens"), 100L)
        .put(AttributeKey.doubleKey("gen_ai.usage.cost"), 800 * 0.15e-6 + 200 * 0.075e-6 + 500 * 0.60e-6)
        .put(AttributeKey.doubleKey("llmotel.cost.input"), 800 * 0.15e-6)
        .put(AttributeKey.doubleKey("llmotel.cost.cache_read"), 200 * 0.075e-6)
        .put(AttributeKey.doubleKey("llmotel.cost.output"), 500 * 0.60e-6)
        .put("gen_ai.conversation.id", "conv-1")
        .put("user.id", "user-7")
        .put(AttributeKey.stringArrayKey("llmotel.tags"), Arrays.asList("beta", "checkout"))
        .build();
  }

  /**
   * extractUsageDetails: langfuse.observation.usage_details is parsed and used as is (no subtraction: that only
   * happens on the gen_ai.usage.* paths), so the view subtracts cache reads from input and reasoning from output,
   * and the parts add up to the call's tokens.
   */
  @Test
  void usageDetailsUnderLangfusesKeysAddUpToTheCallsTokens() {
    Map<String, Object> usage = json(VIEW.apply(span(pricedOpenAiCall())), "langfuse.observation.usage_details");
    assertEquals(800, num(usage, "input"));
    assertEquals(200, num(usage, "input_cached_tokens"));
    assertEquals(400, num(usage, "output"));
    assertEquals(100, num(usage, "output_reasoning_tokens"));
    assertEquals(1500, num(usage, "total"));
    assertEquals(num(usage, "total"), num(usage, "input") + num(usage, "input_cached_tokens") + num(usage, "output")
        + num(usage, "output_reasoning_tokens"));
    assertFalse(usage.containsKey("input_cache_creation"), "no cache write reported, none invented");
  }

  @Test
  void anthropicCacheWritesAreTheirOwnUsageAndCost() {
    Attributes a = Attributes.builder().put("gen_ai.provider.name", "anthropic")
        .put(AttributeKey.longKey("gen_ai.usage.input_tokens"), 1500L)
        .put(AttributeKey.longKey("gen_ai.usage.output_tokens"), 100L)
        .put(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"), 300L)
        .put(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens"), 200L)
        .put(AttributeKey.doubleKey("gen_ai.usage.cost"), 0.0034)
        .put(AttributeKey.doubleKey("llmotel.cost.input"), 0.003)
        .put(AttributeKey.doubleKey("llmotel.cost.cache_read"), 0.00009)
        .put(AttributeKey.doubleKey("llmotel.cost.cache_creation"), 0.00075)
        .put(AttributeKey.doubleKey("llmotel.cost.output"), 0.0015).build();
    SpanData viewed = VIEW.apply(span(a));
    Map<String, Object> usage = json(viewed, "langfuse.observation.usage_details");
    Map<String, Object> cost = json(viewed, "langfuse.observation.cost_details");
    assertEquals(1000, num(usage, "input"));
    assertEquals(300, num(usage, "input_cached_tokens"));
    assertEquals(200, num(usage, "input_cache_creation"));
    assertEquals(1600, num(usage, "total"));
    assertEquals(0.00075, num(cost, "input_cache_creation"), 1e-15);
    assertEquals(0.00009, num(cost, "input_cached_tokens"), 1e-15);
  }

  /**
   * extractCostDetails: langfuse.observation.cost_details is read first; a provided cost stops Langfuse from
   * pricing the generation itself, so the split must be there, and the parts add up to the agent's total.
   */
  @Test
  void costDetailsSplitTheAgentsPriceUnderTheUsageKeys() {
    SpanData viewed = VIEW.apply(span(pricedOpenAiCall()));
    Map<String, Object> cost = json(viewed, "langfuse.observation.cost_details");
    assertEquals(800 * 0.15e-6, num(cost, "input"), 1e-15);
    assertEquals(200 * 0.075e-6, num(cost, "input_cached_tokens"), 1e-15);
    assertEquals(400 * 0.60e-6, num(cost, "output"), 1e-15);
    assertEquals(100 * 0.60e-6, num(cost, "output_reasoning_tokens"), 1e-15);
    assertEquals(800 * 0.15e-6 + 200 * 0.075e-6 + 500 * 0.60e-6, num(cost, "total"), 1e-15);
    assertEquals(num(cost, "total"), num(cost, "input") + num(cost, "input_cached_tokens") + num(cost, "output")
        + num(cost, "output_reasoning_tokens"), 1e-15);
    for (String gone : new String[] {"gen_ai.usage.cost", "llmotel.cost.input", "llmotel.cost.output",
        "llmotel.cost.cache_read", "llmotel.tags"}) {
      assertFalse(viewed.getAttributes().asMap().keySet().stream().anyMatch(k -> k.getKey().equals(gone)), gone);
    }
  }

  /** extractCostDetails returns {} when neither cost attribute is there: Langfuse then prices from usage_details. */
  @Test
  void anUnpricedModelSendsNoCostSoLangfusePricesIt() {
    Attributes a = Attributes.builder().put("gen_ai.request.model", "my-finetune")
        .put(AttributeKey.longKey("gen_ai.usage.input_tokens"), 10L)
        .put(AttributeKey.longKey("gen_ai.usage.output_tokens"), 5L).build();
    SpanData viewed = VIEW.apply(span(a));
    assertNull(viewed.getAttributes().get(AttributeKey.stringKey("langfuse.observation.cost_details")));
    assertNull(viewed.getAttributes().get(AttributeKey.doubleKey("gen_ai.usage.cost")));
    assertEquals(15, num(json(viewed, "langfuse.observation.usage_details"), "total"));
  }

  /** A proxy's reported cost (gen_ai.usage.cost without the agent's split) arrives as Langfuse's total. */
  @Test
  void aProxysReportedCostIsTheTotal() {
    Attributes a = Attributes.builder().put(AttributeKey.doubleKey("gen_ai.usage.cost"), 0.00042).build();
    assertEquals(Map.of("total", 0.00042), json(VIEW.apply(span(a)), "langfuse.observation.cost_details"));
  }

  /**
   * extractUserId (langfuse.user.id, user.id), extractSessionId (... gen_ai.conversation.id), extractTags
   * (langfuse.trace.tags, an array), release (span or resource langfuse.release), version (resource
   * service.version), extractEnvironment (langfuse.environment, then deployment.environment.name,
   * deployment.environment on the span, then the resource).
   */
  @Test
  void userSessionTagsReleaseAndEnvironment() {
    Attributes resource = Attributes.builder().put("service.version", "2.3.1")
        .put("deployment.environment.name", "Staging EU").build();
    SpanData viewed = VIEW.apply(span(pricedOpenAiCall(), resource, null));
    Attributes a = viewed.getAttributes();
    assertEquals("user-7", firstOf(a, "langfuse.user.id", "user.id"));
    assertEquals("conv-1", firstOf(a, "langfuse.session.id", "session.id", "gen_ai.conversation.id"));
    assertEquals(List.of("beta", "checkout"), a.get(AttributeKey.stringArrayKey("langfuse.trace.tags")));
    assertEquals("2.3.1", a.get(AttributeKey.stringKey("langfuse.release")));
    assertEquals("2.3.1", viewed.getResource().getAttribute(AttributeKey.stringKey("service.version")), "version");
    assertEquals("staging-eu", a.get(AttributeKey.stringKey("langfuse.environment")),
        "Langfuse's environment form: lower case [a-z0-9_-]");
  }

  @Test
  void environmentsLangfuseWouldRejectAreMadeAcceptable() {
    assertEquals("env-langfuse-prod", LangfuseView.sanitizeEnvironment("langfuse-prod"));
    assertEquals(40, LangfuseView.sanitizeEnvironment("x".repeat(60)).length());
    assertEquals("prod_1", LangfuseView.sanitizeEnvironment(" prod_1 "));
  }

  /** extractCompletionStartTime: langfuse.observation.completion_start_time, an ISO timestamp. */
  @Test
  void completionStartTimeIsStartPlusTimeToFirstChunk() {
    SpanData original = span(Attributes.builder()
        .put(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk"), 0.25).build());
    String at = VIEW.apply(original).getAttributes()
        .get(AttributeKey.stringKey("langfuse.observation.completion_start_time"));
    assertEquals(java.time.Instant.ofEpochSecond(0, original.getStartEpochNanos() + 250_000_000L).toString(), at);
  }

  /** Unknown gen_ai.usage.* keys have made Langfuse drop spans: only the known ones pass. */
  @Test
  void unknownUsageKeysAreDropped() {
    SpanData viewed = VIEW.apply(span(Attributes.builder()
        .put(AttributeKey.longKey("gen_ai.usage.input_tokens"), 3L)
        .put(AttributeKey.longKey("gen_ai.usage.audio_seconds"), 3L).build()));
    assertNull(viewed.getAttributes().get(AttributeKey.longKey("gen_ai.usage.audio_seconds")));
    assertEquals(3L, viewed.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
  }

  private static String firstOf(Attributes a, String... keys) {
    for (String k : keys) {
      String v = a.get(AttributeKey.stringKey(k));
      if (v != null && !v.isEmpty()) return v;
    }
    return null;
  }
}
