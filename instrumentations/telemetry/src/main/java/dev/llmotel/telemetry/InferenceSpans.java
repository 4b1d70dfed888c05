package dev.llmotel.telemetry;

import static dev.llmotel.telemetry.GenAiAttributes.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.StreamOutcome;
import dev.llmotel.exchange.ExchangeRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns {@link CallFacts} into inference spans (chat, embeddings, ...). When the request leaves, {@link #begin} fixes
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

  private InferenceSpans(Builder b) {
    this.tracer = b.tracer;
    this.content = b.content;
    this.sampler = b.sampler;
    this.defaultSampler = DEFAULT_SAMPLER.equals(sampler.getDescription());
  }

  /** @param tracer of a tracer provider built with {@link PresetIds#GENERATOR} */
  public static Builder builder(Tracer tracer) {
    return new Builder(tracer);
  }

  public static final class Builder {
    private final Tracer tracer;
    private ContentPolicy content = ContentPolicy.off();
    private Sampler sampler = Sampler.parentBased(Sampler.alwaysOn());

    private Builder(Tracer tracer) {
      this.tracer = tracer;
    }

    /** What prompt and completion content the spans carry; default: none. */
    public Builder content(ContentPolicy content) {
      this.content = content;
      return this;
    }

    /**
     * The tracer provider's sampler, asked on the application's thread for the {@code traceparent} flags; default:
     * the SDK's default (parent-based, always on).
     */
    public Builder sampler(Sampler sampler) {
      this.sampler = sampler;
      return this;
    }

    public InferenceSpans build() {
      return new InferenceSpans(this);
    }
  }

  /** A call's span as far as it is known when the request leaves. */
  public static final class Begun {
    final Context parent;
    final String traceId;
    final String spanId;
    final boolean sampled;
    final long startEpochNanos;
    final String conversationId;
    /** From the application's baggage, or null. */
    final String userId;
    final java.util.List<String> tags;

    Begun(Context parent, String traceId, String spanId, boolean sampled, long startEpochNanos,
        String conversationId) {
      this(parent, traceId, spanId, sampled, startEpochNanos, conversationId, null, null);
    }

    Begun(Context parent, String traceId, String spanId, boolean sampled, long startEpochNanos,
        String conversationId, String userId, java.util.List<String> tags) {
      this.userId = userId;
      this.tags = tags;
      this.parent = parent;
      this.traceId = traceId;
      this.spanId = spanId;
      this.sampled = sampled;
      this.startEpochNanos = startEpochNanos;
      this.conversationId = conversationId;
    }

    /** The W3C {@code traceparent} header of the span: its ids and sampled flag. */
    public String traceparent() {
      return InferenceSpans.traceparent(traceId, spanId, sampled);
    }

    /** The W3C {@code traceparent} of this span's parent, or null when it has none. */
    String parentTraceparent() {
      SpanContext sc = Span.fromContext(parent).getSpanContext();
      if (!sc.isValid()) return null;
      return InferenceSpans.traceparent(sc.getTraceId(), sc.getSpanId(), sc.isSampled());
    }

    /** This span, under another parent (same ids, start and conversation). */
    Begun withParentOf(Begun other) {
      return new Begun(other.parent, traceId, spanId, sampled, startEpochNanos, other.conversationId, other.userId,
          other.tags);
    }

    /** This span under the parent {@code parent} (same ids, start and conversation). */
    Begun withParent(Context parent) {
      return new Begun(parent, traceId, spanId, sampled, startEpochNanos, conversationId, userId, tags);
    }

    /** This span as the parent of a span still to be recorded. */
    Context asParent() {
      SpanContext sc = SpanContext.create(traceId, spanId, sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
          TraceState.getDefault());
      return Context.root().with(Span.wrap(sc));
    }
  }

  /** A W3C {@code traceparent} header value (version 00) for these ids and sampled flag. */
  static String traceparent(String traceId, String spanId, boolean sampled) {
    if (traceId.length() != 32 || spanId.length() != 16) {
      return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }
    // on the application's thread for every call: one exact array, not a growing StringBuilder
    char[] header = new char[55];
    header[0] = '0';
    header[1] = '0';
    header[2] = '-';
    traceId.getChars(0, 32, header, 3);
    header[35] = '-';
    spanId.getChars(0, 16, header, 36);
    header[52] = '-';
    header[53] = '0';
    header[54] = sampled ? '1' : '0';
    return new String(header);
  }

  /**
   * The span of a logical call whose first attempt began as {@code first}: that attempt's parent, trace, sampling,
   * start and application context, a fresh span id (made when a second attempt begins).
   */
  static Begun logicalOf(Begun first) {
    return new Begun(first.parent, first.traceId, PresetIds.newSpanId(), first.sampled, first.startEpochNanos,
        first.conversationId, first.userId, first.tags);
  }

  /**
   * A span whose parent is a span still to be recorded (an attempt of a {@link LogicalCallTelemetry logical call}):
   * the parent's trace and sampling, fresh span id.
   */
  static Begun beginChild(Begun parent, long startEpochNanos) {
    return new Begun(parent.asParent(), parent.traceId, PresetIds.newSpanId(), parent.sampled, startEpochNanos,
        parent.conversationId, parent.userId, parent.tags);
  }

  /**
   * Fixes the span of a request the dialect recognised, on the thread that sends it: parent, ids, sampling, start.
   * Kept lean (it runs on the application's thread, often still interpreted): the default sampler's decision is the
   * parent's flag, and the ids are not validated again (they are fresh or the parent's).
   *
   * @param startEpochNanos the call's start since the epoch
   */
  public Begun begin(ExchangeRequest request, CallFacts facts, long startEpochNanos) {
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
  private static Begun beginWith(Sampler sampler, CallFacts facts, long startEpochNanos) {
    ParentSpan probed = ParentProbes.current();
    Context parent = parentContext(probed);
    SpanContext parentSpan = Span.fromContext(parent).getSpanContext();
    boolean hasParent = parentSpan.isValid();
    if (hasParent) LlmParents.noteParent(parentSpan.getSpanId());
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
        probed == null ? null : probed.conversationId(), probed == null ? null : probed.userId(),
        probed == null ? null : probed.tags());
  }

  /**
   * Builds and ends the span of a finished call with everything the dialect learned.
   *
   * The call's start nano time is the same instant as {@code begun}'s start epoch time.
   */
  public void record(Begun begun, CallRecord call) {
    record(begun, call, 0);
  }

  /** @param resendCount the attempt's number after the first within a logical call (0: the first or only) */
  void record(Begun begun, CallRecord call, int resendCount) {
    CallFacts facts = call.facts();
    SpanBuilder builder = tracer.spanBuilder(spanName(facts))
        .setSpanKind(SpanKind.CLIENT)
        .setParent(begun.parent)
        .setStartTimestamp(begun.startEpochNanos, TimeUnit.NANOSECONDS)
        .setAttribute(SERVER_ADDRESS, call.serverAddress())
        .setAttribute(SERVER_PORT, (long) call.serverPort());
    if (!isGenAi(facts)) {
      setPlainAttributes(builder, facts);
      end(start(builder, begun), facts.response.errorType, facts.response.errorMessage,
          begun.startEpochNanos + call.durationNanos());
      return;
    }
    if (begun.conversationId != null) builder.setAttribute(CONVERSATION_ID, begun.conversationId);
    setAppBaggage(builder, begun);
    setAttributes(builder, call);
    if (resendCount > 0) builder.setAttribute(HTTP_REQUEST_RESEND_COUNT, (long) resendCount);
    if (content.capture()) setContentAttributes(builder, facts, content);
    end(start(builder, begun), facts.response.errorType, facts.response.errorMessage,
        begun.startEpochNanos + call.durationNanos());
  }

  /**
   * Starts the span of a logical call that took several attempts (each recorded as its child, under {@link
   * Begun#withParent} of this span's context, then {@link #endLogical}): what the application saw, from the final
   * attempt's facts (operation, provider, models, outcome), without the usage (it is on the attempt that got it:
   * {@code llmotel.usage.on_child_span=true}).
   */
  Span startLogical(Begun begun, CallFacts last, String serverAddress, int serverPort, int attempts) {
    SpanBuilder builder = tracer.spanBuilder(spanName(last))
        .setSpanKind(SpanKind.CLIENT)
        .setParent(begun.parent)
        .setStartTimestamp(begun.startEpochNanos, TimeUnit.NANOSECONDS)
        .setAttribute(SERVER_ADDRESS, serverAddress)
        .setAttribute(SERVER_PORT, (long) serverPort);
    if (begun.conversationId != null) builder.setAttribute(CONVERSATION_ID, begun.conversationId);
    setAppBaggage(builder, begun);
    putIfSet(builder, OPERATION_NAME, last.request.operationName);
    putIfSet(builder, PROVIDER_NAME, last.request.providerName);
    putIfSet(builder, REQUEST_MODEL, last.request.model);
    putIfSet(builder, REQUEST_MAX_TOKENS, last.request.maxTokens);
    if (last.stream.streamed) builder.setAttribute(REQUEST_STREAM, true);
    putIfSet(builder, RESPONSE_ID, last.response.id);
    putIfSet(builder, RESPONSE_MODEL, last.response.model);
    if (!last.response.finishReasons.isEmpty()) builder.setAttribute(RESPONSE_FINISH_REASONS, last.response.finishReasons);
    builder.setAttribute(RETRY_COUNT, (long) (attempts - 1));
    builder.setAttribute(USAGE_ON_CHILD_SPAN, true);
    if (content.capture()) setContentAttributes(builder, last, content);
    return start(builder, begun);
  }

  /** @param errorType the logical call's error, or null when it succeeded in the end */
  void endLogical(Span span, String errorType, String errorMessage, long endEpochNanos) {
    if (errorType != null) span.setAttribute(ERROR_TYPE, errorType);
    end(span, errorType, errorMessage, endEpochNanos);
  }

  private static Span start(SpanBuilder builder, Begun begun) {
    PresetIds.preset(begun.traceId, begun.spanId);
    try {
      return builder.startSpan();
    } finally {
      PresetIds.clear();
    }
  }

  private static void end(Span span, String errorType, String errorMessage, long endEpochNanos) {
    if (errorType != null) span.setStatus(StatusCode.ERROR, errorMessage == null ? "" : errorMessage);
    span.end(endEpochNanos, TimeUnit.NANOSECONDS);
  }

  static String spanName(CallFacts facts) {
    if (facts != null && facts.request.spanName != null) return facts.request.spanName;
    String op = facts.request.operationName == null ? "chat" : facts.request.operationName;
    return facts.request.model == null ? op : op + " " + facts.request.model;
  }

  /**
   * Sets the attributes of a finished call (everything but server address/port) on the span's builder, one by one:
   * the builder keeps its own attribute map, so an intermediate, sorted {@link Attributes} would be built for nothing.
   */
  static void setAttributes(SpanBuilder span, CallRecord call) {
    CallFacts f = call.facts();
    putIfSet(span, OPERATION_NAME, f.request.operationName);
    putIfSet(span, PROVIDER_NAME, f.request.providerName);
    putIfSet(span, REQUEST_MODEL, f.request.model);
    putIfSet(span, REQUEST_MAX_TOKENS, f.request.maxTokens);
    putIfSet(span, REQUEST_TEMPERATURE, f.request.temperature);
    putIfSet(span, REQUEST_TOP_P, f.request.topP);
    putIfSet(span, REQUEST_TOP_K, f.request.topK);
    putIfSet(span, REQUEST_FREQUENCY_PENALTY, f.request.frequencyPenalty);
    putIfSet(span, REQUEST_PRESENCE_PENALTY, f.request.presencePenalty);
    putIfSet(span, REQUEST_SEED, f.request.seed);
    if (f.request.choiceCount != null && f.request.choiceCount != 1L) span.setAttribute(REQUEST_CHOICE_COUNT, f.request.choiceCount);
    if (f.request.stopSequences != null && !f.request.stopSequences.isEmpty()) {
      span.setAttribute(REQUEST_STOP_SEQUENCES, f.request.stopSequences);
    }
    if (f.request.encodingFormats != null && !f.request.encodingFormats.isEmpty()) {
      span.setAttribute(REQUEST_ENCODING_FORMATS, f.request.encodingFormats);
    }
    if (f.stream.streamed) span.setAttribute(REQUEST_STREAM, true);
    putIfSet(span, OUTPUT_TYPE, f.request.outputType);
    putIfSet(span, RESPONSE_ID, f.response.id);
    putIfSet(span, RESPONSE_MODEL, f.response.model);
    if (!f.response.finishReasons.isEmpty()) span.setAttribute(RESPONSE_FINISH_REASONS, f.response.finishReasons);
    putCount(span, USAGE_INPUT_TOKENS, f.usage.inputTokens);
    putCount(span, USAGE_OUTPUT_TOKENS, f.usage.outputTokens);
    putCount(span, USAGE_CACHE_READ_INPUT_TOKENS, f.usage.cacheReadTokens);
    putCount(span, USAGE_CACHE_CREATION_INPUT_TOKENS, f.usage.cacheCreationTokens);
    putCount(span, USAGE_REASONING_OUTPUT_TOKENS, f.usage.reasoningTokens);
    putCount(span, EMBEDDINGS_DIMENSION_COUNT, f.response.embeddingDimensions);
    putIfSet(span, USAGE_COST, call.costUsd());
    setCostDetails(span, call);
    if (f.response.httpStatus > 0) span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) f.response.httpStatus);
    putIfSet(span, ERROR_TYPE, f.response.errorType);
    long ttfc = call.timeToFirstChunkNanos();
    if (ttfc >= 0) {
      span.setAttribute(RESPONSE_TIME_TO_FIRST_CHUNK, ttfc / 1e9);
    }
    StreamOutcome outcome = f.stream.outcome;
    if (outcome != null) span.setAttribute(STREAM_OUTCOME, outcome.value());
    if (f.stream.streamed) span.setAttribute(STREAM_CHUNKS, (long) f.stream.chunkCount);
    for (Map.Entry<String, Object> e : f.response.extra().entrySet()) putExtra(span, e.getKey(), e.getValue());
  }

  /** False for a call a dialect described as a plain client span ({@code RequestFacts.spanName}, e.g. an RPC). */
  static boolean isGenAi(CallFacts facts) {
    return facts.request.spanName == null;
  }

  /** A plain client span's attributes: the HTTP status, the error type and the dialect's extra attributes. */
  static void setPlainAttributes(SpanBuilder span, CallFacts f) {
    if (f.response.httpStatus > 0) span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) f.response.httpStatus);
    putIfSet(span, ERROR_TYPE, f.response.errorType);
    for (Map.Entry<String, Object> e : f.response.extra().entrySet()) putExtra(span, e.getKey(), e.getValue());
  }

  /** The user and tags the application's baggage named. */
  private static void setAppBaggage(SpanBuilder builder, Begun begun) {
    if (begun.userId != null) builder.setAttribute(USER_ID, begun.userId);
    if (begun.tags != null && !begun.tags.isEmpty()) builder.setAttribute(TAGS, begun.tags);
  }

  /** The cost per kind of token, when the price table priced the call (see {@link GenAiAttributes#COST_INPUT}). */
  private static void setCostDetails(SpanBuilder span, CallRecord call) {
    dev.llmotel.cost.CostBreakdown d = call.costDetails();
    if (d == null) return;
    span.setAttribute(COST_INPUT, d.input());
    if (call.facts().usage.cacheReadTokens > 0) span.setAttribute(COST_CACHE_READ, d.cacheRead());
    if (call.facts().usage.cacheCreationTokens > 0) span.setAttribute(COST_CACHE_CREATION, d.cacheCreation());
    span.setAttribute(COST_OUTPUT, d.output());
  }

  /** Prompt and completion attributes, redacted and cut by the policy, straight onto the span's builder. */
  static void setContentAttributes(SpanBuilder span, CallFacts f, ContentPolicy policy) {
    putIfSet(span, SYSTEM_INSTRUCTIONS, policy.apply(f.request.systemInstructionsJson));
    putIfSet(span, INPUT_MESSAGES, policy.apply(f.request.inputMessagesJson));
    putIfSet(span, OUTPUT_MESSAGES, policy.apply(f.response.outputMessagesJson));
    putIfSet(span, TOOL_DEFINITIONS, policy.apply(f.request.toolDefinitionsJson));
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
