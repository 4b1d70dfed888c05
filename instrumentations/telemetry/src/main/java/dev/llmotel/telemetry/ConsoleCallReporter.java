package dev.llmotel.telemetry;

import dev.llmotel.dialect.CallFacts;
import java.io.PrintStream;
import java.util.Locale;

/**
 * One line per LLM call on stderr ({@code otel.instrumentation.llm.console=true}): what a developer wants to see
 * while trying the agent, without any backend.
 */
public final class ConsoleCallReporter implements CallListener {
  private final PrintStream out;

  public ConsoleCallReporter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onCall(CallRecord call) {
    out.println(format(call));
  }

  /** USD with enough decimals for a single call's fraction of a cent, trailing zeros dropped. */
  static String usd(double amount) {
    String s = new java.math.BigDecimal(amount).setScale(9, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
    return s.equals("0") ? "0.00" : s;
  }

  static String format(CallRecord call) {
    CallFacts f = call.facts();
    StringBuilder line = new StringBuilder("[llm-otel-agent] ");
    line.append(f.request.operationName == null ? "call" : f.request.operationName).append(' ').append(call.model());
    line.append(" via ").append(f.request.providerName == null ? "?" : f.request.providerName).append('@')
        .append(call.serverAddress());
    line.append(String.format(Locale.ROOT, "  %.0f ms", call.durationNanos() / 1e6));
    if (call.timeToFirstChunkNanos() >= 0) {
      line.append(String.format(Locale.ROOT, "  ttfc %.0f ms", call.timeToFirstChunkNanos() / 1e6));
    }
    if (f.usage.inputTokens >= 0 || f.usage.outputTokens >= 0) {
      line.append("  tokens in=").append(f.usage.inputTokens < 0 ? "?" : String.valueOf(f.usage.inputTokens))
          .append(" out=").append(f.usage.outputTokens < 0 ? "?" : String.valueOf(f.usage.outputTokens));
    }
    if (call.costUsd() != null) line.append("  $").append(usd(call.costUsd()));
    if (f.stream.outcome != null) line.append("  stream ").append(f.stream.outcome.value());
    if (f.response.errorType != null) line.append("  ERROR ").append(f.response.errorType);
    return line.toString();
  }
}
