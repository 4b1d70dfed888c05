package dev.llmotel.export.destination;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Instant;

/**
 * Langfuse reads GenAI attributes natively (generation type, model, usage, cost, session from
 * {@code gen_ai.conversation.id}); it needs the time to first token as an absolute timestamp, and has dropped spans
 * for unknown {@code gen_ai.usage.*} keys, so only the known ones pass.
 */
public final class LangfuseView implements SpanView {
  static final AttributeKey<Double> TTFC = AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
  static final AttributeKey<String> COMPLETION_START = AttributeKey.stringKey(
      "langfuse.observation.completion_start_time");

  private static final java.util.Set<String> KNOWN_USAGE = new java.util.HashSet<>(java.util.Arrays.asList(
      "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.cache_read.input_tokens",
      "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.cost"));

  @Override
  public SpanData apply(SpanData span) {
    Attributes in = span.getAttributes();
    Double ttfc = in.get(TTFC);
    boolean unknownUsage = false;
    for (AttributeKey<?> key : in.asMap().keySet()) {
      if (key.getKey().startsWith("gen_ai.usage.") && !KNOWN_USAGE.contains(key.getKey())) unknownUsage = true;
    }
    if (ttfc == null && !unknownUsage) return span;
    AttributesBuilder out = in.toBuilder();
    if (unknownUsage) out.removeIf(k -> k.getKey().startsWith("gen_ai.usage.") && !KNOWN_USAGE.contains(k.getKey()));
    if (ttfc != null) {
      long at = span.getStartEpochNanos() + (long) (ttfc * 1e9);
      out.put(COMPLETION_START, Instant.ofEpochSecond(0, at).toString());
    }
    return new ViewedSpanData(span, out.build());
  }
}
