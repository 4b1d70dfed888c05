package dev.llmotel.benchmarks;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.ExchangeWorker;
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
import java.util.Collection;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * What asking the dialects costs the calling thread per request, the way {@code TracedExchanges.begin} asks them (in
 * precedence order, first taker wins): calling-thread CPU (ThreadMXBean, ns per request) and exact allocation (bytes
 * per request), for an OpenAI chat request (every specific dialect says no first) and for a non-LLM request (all say
 * no); each dialect's own answer for the chat request; and, for scale, the span's begin and the whole {@code
 * TracedExchanges.begin}. Medians and [min-max] of the rounds.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.llmotel.benchmarks.DialectMatchCost [rounds]</pre>
 */
public final class DialectMatchCost {
  private static final int OPS = 200_000;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static volatile Object sink;

  private DialectMatchCost() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    List<Dialect> dialects = new ArrayList<>();
    for (Dialect d : ServiceLoader.load(Dialect.class)) dialects.add(d);
    dialects.sort(Comparator.comparingInt(Dialect::precedence).thenComparing(Dialect::name));
    Dialect[] ordered = dialects.toArray(new Dialect[0]);
    DialectContext context = DialectContext.defaults();
    ExchangeRequest chat = new ExchangeRequest("POST", "https", "api.openai.com", 443, "/v1/chat/completions", null,
        DialectSessions.JSON);
    ExchangeRequest other = new ExchangeRequest("GET", "https", "example.com", 443, "/api/v2/orders/42", null,
        DialectSessions.JSON);
    System.out.println("dialects in order: " + dialects.stream().map(Dialect::name).reduce((a, b) -> a + ", " + b)
        .orElse("none"));
    report("all dialects, OpenAI chat request (incl. its session)", rounds, () -> first(ordered, chat, context));
    report("all dialects, non-LLM GET", rounds, () -> first(ordered, other, context));
    for (Dialect d : ordered) {
      report("  " + d.name() + ".open(chat)", rounds, () -> d.open(chat, context));
    }
    // the rest of begin, for scale: span parent, ids, sampling and start (spans only, discarding exporter), and the
    // whole TracedExchanges.begin of a chat request, ended at once without a body (inline queue: the end's work is
    // on this thread too, so this is an upper bound of what begin alone costs)
    SdkTracerProvider tracer = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
          @Override public CompletableResultCode export(Collection<SpanData> spans) { return CompletableResultCode.ofSuccess(); }
          @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
          @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
        })).build();
    InferenceTelemetry telemetry = new InferenceTelemetry(
        InferenceSpans.builder(tracer.get("llm-otel-agent")).build(), null, null);
    report("InferenceTelemetry.begin (parent, ids, start)", rounds,
        () -> telemetry.begin(chat, TelemetryCostBenchmark.facts(), System.currentTimeMillis() * 1_000_000L));
    TracedExchanges exchanges = TracedExchanges.builder(dialects, Pending.of(telemetry)).build();
    report("TracedExchanges.begin + responseWithoutBody (inline)", rounds, () -> {
      Exchange e = exchanges.begin(chat);
      e.responseWithoutBody();
      return e;
    });
    // as the agent runs it: a background worker does the exchange's work; on this thread only begin and the event
    ExchangeWorker worker = ExchangeWorker.background(20);
    worker.start();
    TracedExchanges queued = TracedExchanges.builder(dialects, Pending.of(telemetry))
        .queues(new ExchangeQueues(worker, 60_000, 1 << 20)).defaultSampler(true).build();
    report("TracedExchanges.begin + responseWithoutBody (worker)", rounds, () -> {
      Exchange e = queued.begin(chat);
      e.responseWithoutBody();
      return e;
    });
    queued.endAtExit(5_000);
    tracer.shutdown();
  }

  static DialectSession first(Dialect[] ordered, ExchangeRequest request, DialectContext context) {
    for (Dialect d : ordered) {
      DialectSession s = d.open(request, context);
      if (s != null) return s;
    }
    return null;
  }

  private static void report(String what, int rounds, java.util.function.Supplier<Object> op) {
    for (int i = 0; i < OPS; i++) sink = op.get(); // warm-up
    double[] cpu = new double[rounds];
    double[] bytes = new double[rounds];
    long id = Thread.currentThread().getId();
    for (int r = 0; r < rounds; r++) {
      long a0 = THREADS.getThreadAllocatedBytes(id);
      long c0 = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < OPS; i++) sink = op.get();
      cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / (double) OPS;
      bytes[r] = (THREADS.getThreadAllocatedBytes(id) - a0) / (double) OPS;
    }
    System.out.printf("%-58s cpu %s ns   alloc %s B%n", what, stats(cpu), stats(bytes));
  }

  private static String stats(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format("%7.1f [%.1f-%.1f]", s[s.length / 2], s[0], s[s.length - 1]);
  }
}
