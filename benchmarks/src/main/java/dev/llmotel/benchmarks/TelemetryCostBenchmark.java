package dev.llmotel.benchmarks;

import dev.llmotel.cost.CostCalculator;
import dev.llmotel.cost.PriceTable;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.telemetry.InferenceMetrics;
import dev.llmotel.telemetry.InferenceSpans;
import dev.llmotel.telemetry.InferenceTelemetry;
import dev.llmotel.telemetry.PresetIds;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The added cost of metrics and cost lookup per call: one finished call through the telemetry step (span start and
 * end, then optionally the GenAI metrics and the price-table lookup), with exporters that discard everything.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TelemetryCostBenchmark {
  private SdkTracerProvider tracerProvider;
  private SdkMeterProvider meterProvider;
  private InferenceTelemetry spansOnly;
  private InferenceTelemetry spansMetricsCost;
  private CostCalculator cost;
  private ExchangeRequest request;

  @Setup
  public void setUp() throws Exception {
    tracerProvider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR).addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
      @Override public CompletableResultCode export(Collection<SpanData> spans) { return CompletableResultCode.ofSuccess(); }
      @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
      @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
    })).build();
    meterProvider = SdkMeterProvider.builder().registerMetricReader(PeriodicMetricReader.builder(
        new DiscardingMetricExporter()).setInterval(Duration.ofHours(1)).build()).build();
    InferenceSpans spans = InferenceSpans.builder(tracerProvider.get("llm-otel-agent")).build();
    cost = new CostCalculator(PriceTable.bundled());
    spansOnly = new InferenceTelemetry(spans, null, null);
    spansMetricsCost = new InferenceTelemetry(spans, new InferenceMetrics(meterProvider.get("llm-otel-agent")), cost);
    request = new ExchangeRequest("POST", "https", "api.openai.com", -1, "/v1/chat/completions", null,
        HeaderLookup.NONE);
  }

  @TearDown
  public void tearDown() {
    tracerProvider.shutdown();
    meterProvider.shutdown();
  }

  static CallFacts facts() {
    CallFacts f = new CallFacts();
    f.request.operationName = "chat";
    f.request.providerName = "openai";
    f.request.model = "gpt-4o-mini";
    f.response.model = "gpt-4o-mini-2024-07-18";
    f.response.id = "chatcmpl-bench";
    f.response.finishReasons.add("stop");
    f.response.httpStatus = 200;
    f.usage.inputTokens = 11;
    f.usage.outputTokens = 7;
    f.usage.cacheReadTokens = 3;
    f.usage.reasoningTokens = 2;
    return f;
  }

  /** The part on the application's thread: parent, ids, sampling decision, start time. */
  @Benchmark
  public InferenceSpans.Begun spanBegin() {
    return spansOnly.begin(request, facts(), System.currentTimeMillis() * 1_000_000L);
  }

  @Benchmark
  public CallFacts spanOnly() {
    CallFacts f = facts();
    long start = System.nanoTime();
    InferenceSpans.Begun begun = spansOnly.begin(request, f, System.currentTimeMillis() * 1_000_000L);
    spansOnly.finish(begun, request, f, start, System.nanoTime());
    return f;
  }

  @Benchmark
  public CallFacts spanWithMetricsAndCost() {
    CallFacts f = facts();
    long start = System.nanoTime();
    InferenceSpans.Begun begun = spansMetricsCost.begin(request, f, System.currentTimeMillis() * 1_000_000L);
    spansMetricsCost.finish(begun, request, f, start, System.nanoTime());
    return f;
  }

  @Benchmark
  public Double costLookupOnly() {
    return cost.cost(facts());
  }

  private static final class DiscardingMetricExporter implements MetricExporter {
    @Override public CompletableResultCode export(Collection<io.opentelemetry.sdk.metrics.data.MetricData> m) { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
    @Override public io.opentelemetry.sdk.metrics.data.AggregationTemporality getAggregationTemporality(
        io.opentelemetry.sdk.metrics.InstrumentType type) {
      return io.opentelemetry.sdk.metrics.data.AggregationTemporality.CUMULATIVE;
    }
  }
}
