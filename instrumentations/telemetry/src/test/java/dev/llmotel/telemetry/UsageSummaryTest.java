package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.StreamOutcome;
import org.junit.jupiter.api.Test;

class UsageSummaryTest {
  private static CallRecord call(String model, long in, long out, long millis, long ttfcMillis, String error) {
    return call(model, in, out, millis, ttfcMillis, error, null);
  }

  private static CallRecord call(String model, long in, long out, long millis, long ttfcMillis, String error,
      Double cost) {
    CallFacts f = new CallFacts();
    f.request.operationName = "chat";
    f.request.providerName = "openai";
    f.request.model = model;
    f.usage.inputTokens = in;
    f.usage.outputTokens = out;
    f.response.errorType = error;
    long start = 1_000_000_000L;
    if (ttfcMillis >= 0) {
      f.stream.streamed = true;
      f.stream.firstChunkNanos = start + ttfcMillis * 1_000_000L;
    }
    return new CallRecord(f, "api.openai.com", 443, start, start + millis * 1_000_000L, cost);
  }

  @Test
  void aggregatesPerModelWithNearestRankPercentiles() {
    UsageSummary summary = new UsageSummary();
    for (int i = 1; i <= 20; i++) {
      summary.onCall(call("gpt-4o-mini", 10, 5, i * 10, i, null, 0.0005));
    }
    summary.onCall(call("gpt-4o", -1, -1, 1000, -1, "rate_limit_exceeded"));
    String table = summary.render();
    String mini = table.lines().filter(l -> l.contains("gpt-4o-mini")).findFirst().orElseThrow();
    assertTrue(mini.matches("openai\\s+gpt-4o-mini\\s+20\\s+0\\s+200\\s+100\\s+0.01\\s+100\\s+190\\s+10\\s+19\\s*"), mini);
    String big = table.lines().filter(l -> l.contains("gpt-4o ")).findFirst().orElseThrow();
    assertTrue(big.matches("openai\\s+gpt-4o\\s+1\\s+1\\s+0\\s+0\\s+-\\s+1000\\s+1000\\s+-\\s+-\\s*"), big);
  }

  @Test
  void nothingToPrintWithoutCalls() {
    assertNull(new UsageSummary().render());
  }

  @Test
  void consoleLineShowsModelTokensTimingAndOutcome() {
    CallRecord c = call("gpt-4o-mini", 11, 7, 250, 40, null, 0.0000058);
    c.facts().response.model = "gpt-4o-mini-2024-07-18";
    c.facts().stream.outcome = StreamOutcome.COMPLETED;
    assertEquals("[llm-otel-agent] chat gpt-4o-mini-2024-07-18 via openai@api.openai.com  250 ms  ttfc 40 ms"
        + "  tokens in=11 out=7  $0.0000058  stream completed", ConsoleCallReporter.format(c));
  }
}
