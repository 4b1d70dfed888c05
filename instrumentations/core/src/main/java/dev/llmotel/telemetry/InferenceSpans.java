package dev.llmotel.telemetry;

import static dev.llmotel.telemetry.GenAiAttributes.*;

import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.dialect.StreamOutcome;
import dev.llmotel.exchange.ExchangeRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns {@link GenAiFacts} into inference spans (chat, embeddings, ...): starts a CLIENT span when the request leaves,
 * and when the exchange ends names it {@code {operation} {model}} and records every known fact in semantic-convention
 * terms. Knows nothing of HTTP clients or protocols.
 */
public final class InferenceSpans {
  private final Tracer tracer;
  private final ContentPolicy content;

  public InferenceSpans(Tracer tracer) {
    this(tracer, ContentPolicy.off());
  }

  public InferenceSpans(Tracer tracer, ContentPolicy content) {
    this.tracer = tracer;
    this.content = content;
  }

  /** Starts the span for a request the dialect recognised; parent is the application's current span, if any. */
  public Span start(ExchangeRequest request, GenAiFacts facts) {
    return start(request, facts, 0);
  }

  /**
   * As {@link #start(ExchangeRequest, GenAiFacts)}, starting at the given time.
   *
   * @param startEpochNanos the span's start since the epoch, or 0 for now
   */
  public Span start(ExchangeRequest request, GenAiFacts facts, long startEpochNanos) {
    SpanBuilder builder = tracer.spanBuilder(spanName(facts))
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(SERVER_ADDRESS, request.host())
        .setAttribute(SERVER_PORT, (long) request.port());
    if (facts.operationName != null) builder.setAttribute(OPERATION_NAME, facts.operationName);
    if (facts.providerName != null) builder.setAttribute(PROVIDER_NAME, facts.providerName);
    if (facts.requestModel != null) builder.setAttribute(REQUEST_MODEL, facts.requestModel);
    builder.setParent(parentContext());
    if (startEpochNanos != 0) builder.setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS);
    return builder.startSpan();
  }

  /** Records everything the dialect learned and ends the span. */
  public void end(Span span, GenAiFacts facts, long startNanoTime) {
    end(span, facts, startNanoTime, 0);
  }

  /**
   * As {@link #end(Span, GenAiFacts, long)}, ending at the given time.
   *
   * @param endEpochNanos the span's end since the epoch, or 0 for now
   */
  public void end(Span span, GenAiFacts facts, long startNanoTime, long endEpochNanos) {
    span.updateName(spanName(facts));
    setAttributes(span, facts, startNanoTime);
    if (content.capture()) span.setAllAttributes(contentAttributes(facts, content));
    if (facts.errorType != null) {
      span.setStatus(StatusCode.ERROR, facts.errorMessage == null ? "" : facts.errorMessage);
    }
    if (endEpochNanos != 0) span.end(endEpochNanos, TimeUnit.NANOSECONDS);
    else span.end();
  }

  static String spanName(GenAiFacts facts) {
    String op = facts.operationName == null ? "chat" : facts.operationName;
    return facts.requestModel == null ? op : op + " " + facts.requestModel;
  }

  /**
   * Sets the attributes of a finished call (everything but server address/port, set at start) on the span, one by
   * one: the span keeps its own attribute map, so an intermediate, sorted {@link Attributes} would be built for
   * nothing.
   */
  static void setAttributes(Span span, GenAiFacts f, long startNanoTime) {
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

  static Attributes contentAttributes(GenAiFacts f, ContentPolicy policy) {
    AttributesBuilder a = Attributes.builder();
    putIfSet(a, SYSTEM_INSTRUCTIONS, policy.apply(f.systemInstructionsJson));
    putIfSet(a, INPUT_MESSAGES, policy.apply(f.inputMessagesJson));
    putIfSet(a, OUTPUT_MESSAGES, policy.apply(f.outputMessagesJson));
    putIfSet(a, TOOL_DEFINITIONS, policy.apply(f.toolDefinitionsJson));
    return a.build();
  }

  private static <T> void putIfSet(AttributesBuilder a, AttributeKey<T> key, T value) {
    if (value != null) a.put(key, value);
  }

  private static <T> void putIfSet(Span span, AttributeKey<T> key, T value) {
    if (value != null) span.setAttribute(key, value);
  }

  private static void putCount(Span span, AttributeKey<Long> key, long value) {
    if (value >= 0) span.setAttribute(key, value);
  }

  private static void putExtra(Span span, String key, Object value) {
    if (value instanceof String) span.setAttribute(key, (String) value);
    else if (value instanceof Long || value instanceof Integer) span.setAttribute(key, ((Number) value).longValue());
    else if (value instanceof Double || value instanceof Float) span.setAttribute(key, ((Number) value).doubleValue());
    else if (value instanceof Boolean) span.setAttribute(key, (Boolean) value);
  }

  /** The application's current span (through a {@link ParentProbe}), else the agent's own current context. */
  private static Context parentContext() {
    Context current = Context.current();
    if (Span.fromContext(current).getSpanContext().isValid()) return current;
    ParentSpan parent = ParentProbes.current();
    if (parent == null) return current;
    SpanContext sc = ParentSpanContexts.of(parent);
    return sc.isValid() ? current.with(Span.wrap(sc)) : current;
  }
}
