package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.RecordedRequest;
import dev.llmotel.it.simulator.TraceParent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One agent-attached app run of a {@link TelemetryScenario}: the JVM's outcome, the requests the simulator got, and
 * every receiver (by its behaviour's name: otlp, langfuse, opik, openobserve) with what it decoded. Runs are cached
 * per scenario and JDK, so every test of a scenario reads the same run.
 */
record TelemetryRun(String scenario, Jdk jdk, JvmRun jvm, List<RecordedRequest> simulatorRequests,
    int simulatorPort, Map<String, OtlpReceiver> receivers) {
  private static final Map<String, TelemetryRun> CACHE = new ConcurrentHashMap<>();

  static TelemetryRun cached(String scenario, Jdk jdk, Supplier<TelemetryRun> launch) {
    return CACHE.computeIfAbsent(scenario + " on " + jdk, k -> launch.get());
  }

  /** A token-usage point's request model and token type: {@code gpt-4o-mini/input}. */
  static String modelAndTokenType(HistogramPoint p) {
    return p.attr("gen_ai.request.model") + "/" + p.attr("gen_ai.token.type");
  }

  /**
   * The receiver's {@code gen_ai.client.token.usage} points summed per key, as {@code "N calls, T tokens"} (several
   * series under one key joined by {@code " + "}), with the points themselves for a failure message.
   */
  static Map<String, String> tokenSums(OtlpReceiver receiver, Function<HistogramPoint, String> key) {
    Map<String, String> sums = new TreeMap<>();
    for (HistogramPoint p : receiver.histogramSeries(MetricsExportTest.TOKEN_USAGE)) {
      sums.merge(key.apply(p), p.count() + " calls, " + p.sum().longValue() + " tokens", (x, y) -> x + " + " + y);
    }
    return sums;
  }

  OtlpReceiver receiver(String name) {
    OtlpReceiver r = receivers.get(name);
    if (r == null) fail("scenario " + scenario + " has no receiver " + name + " (has " + receivers.keySet() + ")");
    return r;
  }

  /** The LLM spans ({@link AppRun#isLlmSpan}), as the receiver got them. */
  List<ReceivedSpan> llmSpans(String receiver) {
    return receiver(receiver).spans().stream().filter(AppRun::isLlmSpan).toList();
  }

  /** The span a simulator request belongs to: the one named by the request's {@code traceparent}. */
  ReceivedSpan spanOf(String receiver, RecordedRequest request) {
    TraceParent tp = request.traceParent().orElseGet(() -> fail("no traceparent on " + request + "\n" + describe()));
    List<ReceivedSpan> found = receiver(receiver).spans(s -> s.spanId().equals(tp.parentId()));
    if (found.size() != 1) fail(found.size() + " spans for " + request + " at " + receiver + "\n" + describe());
    return found.get(0);
  }

  /** The JVM run, then each receiver's requests and spans: context for failure messages. */
  String describe() {
    StringBuilder sb = new StringBuilder("scenario ").append(scenario).append(" on ").append(jdk).append('\n')
        .append(jvm.describe()).append('\n');
    receivers.forEach((name, r) -> sb.append("receiver ").append(name).append(": ")
        .append(r.requests().stream().map(q -> "\n  " + q).collect(Collectors.joining()))
        .append("\n spans (").append(r.spans().size()).append("):")
        .append(r.spans().stream().map(s -> "\n  " + s).collect(Collectors.joining()))
        .append("\n problems: ").append(r.problems()).append('\n'));
    return sb.toString();
  }
}
