package dev.llmotel.telemetry;

import static dev.llmotel.telemetry.GenAiAttributes.*;

import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.dialect.StreamOutcome;
import dev.llmotel.exchange.ExchangeRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns {@link GenAiFacts} into inference spans (chat, embeddings, ...). When the request leaves, {@link #begin} fixes
 * on the application's thread what cannot wait: the parent (the application's current span), the span's ids and
 * sampling decision (they go out in {@code traceparent}) and its start time. When the exchange is over, {@link
 * #record} builds the span {@code {operation} {model}} with every known fact in semantic-convention terms, with the
 * preset ids ({@link PresetIds}) and the call's own start and end times, and ends it: all of the SDK's span work
 * happens there, off the application's thread. Knows nothing of HTTP clients or protocols.
 */
public final class InferenceSpans {
  private static final String DEFAULT_SAMPLER = Sampler.parentBased(Sampler.alwaysOn()).getDescription();
  private final Tracer tracer;
  private final ContentPolicy content;
  private final Sampler sampler;
  /** The SDK's default, parent-based always-on: sampled unless the parent is not. */
  private final boolean defaultSampler;

  public InferenceSpans(Tracer tracer) {
    this(tracer, ContentPolicy.off());
  }

  public InferenceSpans(Tracer tracer, ContentPolicy content) {
    this(tracer, content, Sampler.parentBased(Sampler.alwaysOn()));
  }

  /**
   * @param tracer of a tracer provider built with {@link PresetIds#GENERATOR}
   * @param sampler that provider's sampler: asked on the application's thread for the {@code traceparent} flags
   */
  public InferenceSpans(Tracer tracer, ContentPolicy content, Sampler sampler) {
    this.tracer = tracer;
    this.content = content;
    this.sampler = sampler;
    this.defaultSampler = DEFAULT_SAMPLER.equals(sampler.getDescription());
  }

  /** A call's span as far as it is known when the request leaves. */
  public static final class Begun {
    final Context parent;
    final String traceId;
    final String spanId;
    final boolean sampled;
    final long startEpochNanos;
    final String conversationId;

    Begun(Context parent, String traceId, String spanId, boolean sampled, long startEpochNanos,
        String conversationId) {
      this.parent = parent;
      this.traceId = traceId;
      this.spanId = spanId;
      this.sampled = sampled;
      this.startEpochNanos = startEpochNanos;
      this.conversationId = conversationId;
    }

    /** The W3C {@code traceparent} header of the span: its ids and sampled flag. */
    public String traceparent() {
      return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }
  }

  /**
   * Fixes the span of a request the dialect recognised, on the thread that sends it: parent, ids, sampling, start.
   * Kept lean (it runs on the application's thread, often still interpreted): the default sampler's decision is the
   * parent's flag, and the ids are not validated again (they are fresh or the parent's).
   *
   * @param startEpochNanos the call's start since the epoch
   */
  public Begun begin(ExchangeRequest request, GenAiFacts facts, long startEpochNanos) {
    return beginWith(defaultSampler ? null : sampler, facts, startEpochNanos);
  }

  /**
   * {@link #begin} for the SDK's default sampler, before any {@code InferenceSpans} exists (while the telemetry
   * pipeline is still being built): the parent, fresh ids, the parent's sampling flag.
   */
  public static Begun beginWithDefaultSampler(long startEpochNanos) {
    return beginWith(null, null, startEpochNanos);
  }

  /** @param sampler asked for the decision, or null for the default sampler's (the parent's flag; sampled at a root) */
  private static Begun beginWith(Sampler sampler, GenAiFacts facts, long startEpochNanos) {
    ParentSpan probed = ParentProbes.current();
    Context parent = parentContext(probed);
    SpanContext parentSpan = Span.fromContext(parent).getSpanContext();
    boolean hasParent = parentSpan.isValid();
    String traceId = hasParent ? parentSpan.getTraceId() : PresetIds.newTraceId();
    String spanId = PresetIds.newSpanId();
    boolean sampled;
    if (sampler == null) {
      sampled = !hasParent || parentSpan.isSampled();
    } else {
      try {
        sampled = sampler.shouldSample(parent, traceId, spanName(facts), SpanKind.CLIENT, Attributes.empty(),
            Collections.emptyList()).getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
      } catch (RuntimeException e) {
        sampled = false;
      }
    }
    return new Begun(parent, traceId, spanId, sampled, startEpochNanos,
        probed == null ? null : probed.conversationId());
  }

  /**
   * Builds and ends the span of a finished call with everything the dialect learned.
   *
   * @param startNanoTime {@link System#nanoTime()} at the call's start (the same instant as the start epoch time)
   * @param endNanoTime {@link System#nanoTime()} at the call's end
   */
  public void record(Begun begun, ExchangeRequest request, GenAiFacts facts, long startNanoTime, long endNanoTime) {
    SpanBuilder builder = tracer.spanBuilder(spanName(facts))
        .setSpanKind(SpanKind.CLIENT)
        .setParent(begun.parent)
        .setStartTimestamp(begun.startEpochNanos, TimeUnit.NANOSECONDS)
        .setAttribute(SERVER_ADDRESS, request.host())
        .setAttribute(SERVER_PORT, (long) request.port());
    if (begun.conversationId != null) builder.setAttribute(CONVERSATION_ID, begun.conversationId);
    setAttributes(builder, facts, startNanoTime);
    if (content.capture()) setContentAttributes(builder, facts, content);
    Span span;
    PresetIds.preset(begun.traceId, begun.spanId);
    try {
      span = builder.startSpan();
    } finally {
      PresetIds.clear();
    }
    if (facts.errorType != null) {
      span.setStatus(StatusCode.ERROR, facts.errorMessage == null ? "" : facts.errorMessage);
    }
    span.end(begun.startEpochNanos + (endNanoTime - startNanoTime), TimeUnit.NANOSECONDS);
  }

  static String spanName(GenAiFacts facts) {
    String op = facts.operationName == null ? "chat" : facts.operationName;
    return facts.requestModel == null ? op : op + " " + facts.requestModel;
  }

  /**
   * Sets the attributes of a finished call (everything but server address/port) on the span's builder, one by one:
   * the builder keeps its own attribute map, so an intermediate, sorted {@link Attributes} would be built for nothing.
   */
  static void setAttributes(SpanBuilder span, GenAiFacts f, long startNanoTime) {
    putIfSet(span, OPERATION_NAME, f.operationName);
    putIfSet(span, PROVIDER_NAME, f.providerName);
    putIfSet(span, REQUEST_MODEL, f.requestModel);
    putIfSet(span, REQUEST_MAX_TOKENS, f.maxTokens);
    putIfSet(span, REQUEST_TEMPERATURE, f.temperature);
    putIfSet(span, REQUEST_TOP_P, f.topP);
    putIfSet(span, REQUEST_TOP_K, f.topK);
    putIfSet(span, REQUEST_FREQUENCY_PENALTY, f.frequencyPenalty);
    putIfSet(span, REQUEST_PRESENCE_PENALTY, f.presencePenalty);
    putIfSet(span, REQUEST_SEED, f.seed);
    if (f.choiceCount != null && f.choiceCount != 1L) span.setAttribute(REQUEST_CHOICE_COUNT, f.choiceCount);
    if (f.stopSequences != null && !f.stopSequences.isEmpty()) {
      span.setAttribute(REQUEST_STOP_SEQUENCES, f.stopSequences);
    }
    if (f.encodingFormats != null && !f.encodingFormats.isEmpty()) {
      span.setAttribute(REQUEST_ENCODING_FORMATS, f.encodingFormats);
    }
    if (f.stream) span.setAttribute(REQUEST_STREAM, true);
    putIfSet(span, OUTPUT_TYPE, f.outputType);
    putIfSet(span, RESPONSE_ID, f.responseId);
    putIfSet(span, RESPONSE_MODEL, f.responseModel);
    if (!f.finishReasons.isEmpty()) span.setAttribute(RESPONSE_FINISH_REASONS, f.finishReasons);
    putCount(span, USAGE_INPUT_TOKENS, f.inputTokens);
    putCount(span, USAGE_OUTPUT_TOKENS, f.outputTokens);
    putCount(span, USAGE_CACHE_READ_INPUT_TOKENS, f.cacheReadTokens);
    putCount(span, USAGE_CACHE_CREATION_INPUT_TOKENS, f.cacheCreationTokens);
    putCount(span, USAGE_REASONING_OUTPUT_TOKENS, f.reasoningTokens);
    putCount(span, EMBEDDINGS_DIMENSION_COUNT, f.embeddingDimensions);
    putIfSet(span, USAGE_COST, f.costUsd);
    if (f.httpStatus > 0) span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) f.httpStatus);
    putIfSet(span, ERROR_TYPE, f.errorType);
    long ttfc = f.timeToFirstChunkNanos(startNanoTime);
    if (ttfc >= 0) {
      span.setAttribute(RESPONSE_TIME_TO_FIRST_CHUNK, ttfc / 1e9);
    }
    StreamOutcome outcome = f.streamOutcome;
    if (outcome != null) span.setAttribute(STREAM_OUTCOME, outcome.value());
    if (f.stream) span.setAttribute(STREAM_CHUNKS, (long) f.chunkCount);
    for (Map.Entry<String, Object> e : f.extra().entrySet()) putExtra(span, e.getKey(), e.getValue());
  }

  /** Prompt and completion attributes, redacted and cut by the policy, straight onto the span's builder. */
  static void setContentAttributes(SpanBuilder span, GenAiFacts f, ContentPolicy policy) {
    putIfSet(span, SYSTEM_INSTRUCTIONS, policy.apply(f.systemInstructionsJson));
    putIfSet(span, INPUT_MESSAGES, policy.apply(f.inputMessagesJson));
    putIfSet(span, OUTPUT_MESSAGES, policy.apply(f.outputMessagesJson));
    putIfSet(span, TOOL_DEFINITIONS, policy.apply(f.toolDefinitionsJson));
  }

  private static <T> void putIfSet(SpanBuilder span, AttributeKey<T> key, T value) {
    if (value != null) span.setAttribute(key, value);
  }

  private static void putCount(SpanBuilder span, AttributeKey<Long> key, long value) {
    if (value >= 0) span.setAttribute(key, value);
  }

  private static void putExtra(SpanBuilder span, String key, Object value) {
    if (value instanceof String) span.setAttribute(key, (String) value);
    else if (value instanceof Long || value instanceof Integer) span.setAttribute(key, ((Number) value).longValue());
    else if (value instanceof Double || value instanceof Float) span.setAttribute(key, ((Number) value).doubleValue());
    else if (value instanceof Boolean) span.setAttribute(key, (Boolean) value);
  }

  /** The agent's own current span if any, else the application's (as its {@link ParentProbe} told). */
  private static Context parentContext(ParentSpan parent) {
    Context current = Context.current();
    if (Span.fromContext(current).getSpanContext().isValid()) return current;
    if (parent == null) return current;
    SpanContext sc = ParentSpanContexts.of(parent);
    return sc.isValid() ? current.with(Span.wrap(sc)) : current;
  }
}
