package dev.llmotel.telemetry;

import dev.llmotel.dialect.CallFacts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.Arrays;
import java.util.List;

/**
 * The GenAI client metrics (semantic conventions v1.41, exact names, units and bucket boundaries) and the vendor
 * {@code gen_ai.usage.cost} histogram, recorded once per finished call.
 */
public final class InferenceMetrics {
  static final List<Double> DURATION_BUCKETS = Arrays.asList(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
      5.12, 10.24, 20.48, 40.96, 81.92);
  static final List<Long> TOKEN_BUCKETS = Arrays.asList(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
      262144L, 1048576L, 4194304L, 16777216L, 67108864L);
  static final List<Double> COST_BUCKETS = Arrays.asList(0.00001, 0.0001, 0.001, 0.01, 0.1, 1.0, 10.0, 100.0);
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");

  private final LongHistogram tokenUsage;
  private final DoubleHistogram duration;
  private final DoubleHistogram timeToFirstChunk;
  private final DoubleHistogram timePerOutputChunk;
  private final DoubleHistogram cost;
  private final MetricAttributes attributeSets = new MetricAttributes();

  public InferenceMetrics(Meter meter) {
    tokenUsage = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
        .setDescription("Number of input and output tokens used.")
        .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS).build();
    duration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
        .setDescription("GenAI operation duration.").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    timeToFirstChunk = meter.histogramBuilder("gen_ai.client.operation.time_to_first_chunk").setUnit("s")
        .setDescription("Time to receive the first chunk in a streaming operation.")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    timePerOutputChunk = meter.histogramBuilder("gen_ai.client.operation.time_per_output_chunk").setUnit("s")
        .setDescription("Time between consecutive chunks after the first one in a streaming operation.")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    cost = meter.histogramBuilder("gen_ai.usage.cost").setUnit("USD")
        .setDescription("Cost of the GenAI operation, where the model's price is known.")
        .setExplicitBucketBoundariesAdvice(COST_BUCKETS).build();
  }

  /** Records one finished call. */
  public void record(CallRecord call) {
    record(call, true);
  }

  /**
   * @param withDuration false for an attempt of a logical call that took several: its duration is the logical
   *     call's ({@link #recordDuration}), its tokens and cost are its own
   */
  void record(CallRecord call, boolean withDuration) {
    CallFacts f = call.facts();
    MetricAttributes.Sets sets = attributeSets.get(f, call.serverAddress(), call.serverPort());
    Attributes common = sets.common;
    if (withDuration) duration.record(call.durationNanos() / 1e9, common);
    if (f.usage.inputTokens >= 0) tokenUsage.record(f.usage.inputTokens, sets.input);
    if (f.usage.outputTokens >= 0) tokenUsage.record(f.usage.outputTokens, sets.output);
    long ttfc = call.timeToFirstChunkNanos();
    if (ttfc >= 0) {
      timeToFirstChunk.record(ttfc / 1e9, common);
      if (f.stream.chunkCount > 1) {
        timePerOutputChunk.record(
            (f.stream.lastChunkNanos - f.stream.firstChunkNanos) / 1e9 / (f.stream.chunkCount - 1), common);
      }
    }
    if (call.costUsd() != null) cost.record(call.costUsd(), common);
  }

  /**
   * The duration of a logical call that took several attempts, with the attributes of its final attempt.
   *
   * @param errorType the logical call's, as on its span: the last attempt's, or the class of the exception the
   *     application got where that attempt had none (e.g. a 200 the SDK then failed to read)
   */
  void recordDuration(CallFacts last, String serverAddress, int serverPort, long durationNanos, String errorType) {
    Attributes common = attributeSets.get(last, serverAddress, serverPort).common;
    if (errorType != null && last.response.errorType == null) {
      common = common.toBuilder().put(GenAiAttributes.ERROR_TYPE, errorType).build();
    }
    duration.record(durationNanos / 1e9, common);
  }

  static Attributes attributes(CallFacts f, String serverAddress, int serverPort) {
    AttributesBuilder a = Attributes.builder();
    if (f.request.operationName != null) a.put(GenAiAttributes.OPERATION_NAME, f.request.operationName);
    if (f.request.providerName != null) a.put(GenAiAttributes.PROVIDER_NAME, f.request.providerName);
    if (f.request.model != null) a.put(GenAiAttributes.REQUEST_MODEL, f.request.model);
    if (f.response.model != null) a.put(GenAiAttributes.RESPONSE_MODEL, f.response.model);
    if (serverAddress != null) {
      a.put(GenAiAttributes.SERVER_ADDRESS, serverAddress);
      a.put(GenAiAttributes.SERVER_PORT, (long) serverPort);
    }
    if (f.response.errorType != null) a.put(GenAiAttributes.ERROR_TYPE, f.response.errorType);
    return a.build();
  }
}
