package dev.llmotel.telemetry;

import dev.llmotel.dialect.CallFacts;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per provider and model: calls, errors, tokens, cost (where the price is known), and latency / time-to-first-chunk percentiles, printed as a table
 * when the JVM exits ({@code otel.instrumentation.llm.summary=true}). Keeps at most {@value #MAX_SAMPLES} latency
 * samples per row (a reservoir would do for percentiles on long runs; the cap keeps memory bounded).
 */
public final class UsageSummary implements CallListener {
  static final int MAX_SAMPLES = 10_000;

  private final Map<String, Row> rows = new TreeMap<>();

  @Override
  public synchronized void onCall(CallRecord call) {
    CallFacts f = call.facts();
    String provider = f.request.providerName == null ? "?" : f.request.providerName;
    Row row = rows.computeIfAbsent(provider + "\u0000" + call.model(), k -> new Row(provider, call.model()));
    row.calls++;
    if (f.response.errorType != null) row.errors++;
    if (f.usage.inputTokens > 0) row.inputTokens += f.usage.inputTokens;
    if (f.usage.outputTokens > 0) row.outputTokens += f.usage.outputTokens;
    if (call.costUsd() != null) {
      row.cost += call.costUsd();
      row.costKnown = true;
    }
    row.latency.add(call.durationNanos());
    if (call.timeToFirstChunkNanos() >= 0) row.ttfc.add(call.timeToFirstChunkNanos());
  }

  /** The table, or null when no call was seen. */
  public synchronized String render() {
    if (rows.isEmpty()) return null;
    String fmt = "%-12s %-28s %6s %6s %10s %10s %10s %9s %9s %9s %9s%n";
    StringBuilder sb = new StringBuilder("[llm-otel-agent] LLM usage summary\n");
    sb.append(String.format(Locale.ROOT, fmt, "provider", "model", "calls", "errors", "in tokens", "out tokens",
        "cost USD", "p50 ms", "p95 ms", "ttfc p50", "ttfc p95"));
    for (Row r : rows.values()) {
      sb.append(String.format(Locale.ROOT, fmt, r.provider, r.model, r.calls, r.errors, r.inputTokens, r.outputTokens,
          r.costKnown ? ConsoleCallReporter.usd(r.cost) : "-", r.latency.percentileMillis(50), r.latency.percentileMillis(95), r.ttfc.percentileMillis(50),
          r.ttfc.percentileMillis(95)));
    }
    return sb.toString();
  }

  public void print(PrintStream out) {
    String table = render();
    if (table != null) out.print(table);
  }

  private static final class Row {
    final String provider;
    final String model;
    long calls;
    long errors;
    long inputTokens;
    long outputTokens;
    double cost;
    boolean costKnown;
    final Samples latency = new Samples();
    final Samples ttfc = new Samples();

    Row(String provider, String model) {
      this.provider = provider;
      this.model = model;
    }
  }

  static final class Samples {
    private final List<Long> values = new ArrayList<>();

    void add(long nanos) {
      if (values.size() < MAX_SAMPLES) values.add(nanos);
    }

    /** Nearest-rank percentile in milliseconds, "-" when empty. */
    String percentileMillis(int p) {
      if (values.isEmpty()) return "-";
      long[] sorted = new long[values.size()];
      for (int i = 0; i < sorted.length; i++) sorted[i] = values.get(i);
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return String.format(Locale.ROOT, "%.0f", sorted[Math.max(0, rank - 1)] / 1e6);
    }
  }
}
