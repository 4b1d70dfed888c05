package dev.llmotel.benchmarks;

import dev.llmotel.dialect.openai.OpenAiDialect;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.LogicalCall;
import dev.llmotel.telemetry.InferenceSpans;
import dev.llmotel.telemetry.InferenceTelemetry;
import dev.llmotel.telemetry.Pending;
import dev.llmotel.telemetry.PresetIds;
import dev.llmotel.telemetry.TracedExchanges;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
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
 * What an SDK's retry loop (hook {@code sdk-retries}: openai-java's {@code RetryingHttpClient.execute}) adds to one
 * non-streamed call that needs one attempt: {@code oneAttemptInRetryLoop} minus {@code plainCall}. Both run one whole
 * exchange (OpenAI dialect, a small chat body each way, the span recorded and discarded) on the benchmark's thread
 * (inline queues); {@code -prof gc} gives the bytes per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SdkRetryPathBenchmark {
  private static final byte[] REQUEST = ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] RESPONSE = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}").getBytes(StandardCharsets.UTF_8);
  private static final HeaderLookup JSON = name -> name.equalsIgnoreCase("content-type") ? "application/json" : null;

  private SdkTracerProvider tracing;
  private TracedExchanges exchanges;
  private ExchangeRequest request;

  @Setup
  public void setUp() {
    tracing = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
          @Override public CompletableResultCode export(Collection<SpanData> spans) { return CompletableResultCode.ofSuccess(); }
          @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
          @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
        })).build();
    InferenceTelemetry telemetry = new InferenceTelemetry(InferenceSpans.builder(tracing.get("bench")).build(), null,
        null);
    exchanges = TracedExchanges.builder(Collections.singletonList(new OpenAiDialect()), Pending.of(telemetry))
        .queues(ExchangeQueues.inline()).build();
    request = new ExchangeRequest("POST", "https", "api.openai.com", -1, "/v1/chat/completions", null, JSON);
  }

  @TearDown
  public void tearDown() {
    tracing.shutdown();
  }

  private Object call() {
    Exchange ex = exchanges.begin(request);
    Object headers = ex.propagationHeaders();
    ex.requestBody(REQUEST, 0, REQUEST.length);
    ex.requestBodyEnd();
    ex.response(200, JSON);
    ex.responseBody(RESPONSE, 0, RESPONSE.length);
    ex.responseBodyEnd();
    return headers;
  }

  @Benchmark
  public Object plainCall() {
    return call();
  }

  /** As openai-java runs it: the loop returns before the body is read (the attempt ends after the loop's exit). */
  @Benchmark
  public Object oneAttemptInRetryLoop() {
    LogicalCall loop = LogicalCall.enter();
    Exchange ex = exchanges.begin(request);
    Object headers = ex.propagationHeaders();
    ex.requestBody(REQUEST, 0, REQUEST.length);
    ex.requestBodyEnd();
    ex.response(200, JSON);
    if (loop != null) loop.exit(null);
    ex.responseBody(RESPONSE, 0, RESPONSE.length);
    ex.responseBodyEnd();
    return headers;
  }

  /**
   * The calling thread's exact allocation and CPU per call, plain and in a retry loop, alternating: {@code java -cp
   * benchmarks.jar dev.llmotel.benchmarks.SdkRetryPathBenchmark [calls per round]}.
   */
  public static void main(String[] args) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    SdkRetryPathBenchmark b = new SdkRetryPathBenchmark();
    b.setUp();
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    for (int i = 0; i < n; i++) {
      b.plainCall();
      b.oneAttemptInRetryLoop();
    }
    long id = Thread.currentThread().getId();
    for (int round = 0; round < 5; round++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long a0 = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < n; i++) b.plainCall();
      long c1 = threads.getCurrentThreadCpuTime();
      long a1 = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < n; i++) b.oneAttemptInRetryLoop();
      long c2 = threads.getCurrentThreadCpuTime();
      long a2 = threads.getThreadAllocatedBytes(id);
      System.out.printf("round %d  plain %d ns %d B  |  in a retry loop %d ns %d B  |  loop - plain %+d ns %+d B%n",
          round, (c1 - c0) / n, (a1 - a0) / n, (c2 - c1) / n, (a2 - a1) / n, ((c2 - c1) - (c1 - c0)) / n,
          ((a2 - a1) - (a1 - a0)) / n);
    }
    b.tearDown();
  }
}
