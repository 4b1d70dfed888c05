package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.dialect.StreamOutcome;
import org.junit.jupiter.api.Test;

class UsageSummaryTest {
  private static CallRecord call(String model, long in, long out, long millis, long ttfcMillis, String error) {
    GenAiFacts f = new GenAiFacts();
    f.operationName = "chat";
    f.providerName = "openai";
    f.requestModel = model;
    f.inputTokens = in;
    f.outputTokens = out;
    f.errorType = error;
    return new CallRecord(f, "api.openai.com", millis * 1_000_000L, ttfcMillis < 0 ? -1 : ttfcMillis * 1_000_000L);
  }

  @Test
  void aggregatesPerModelWithNearestRankPercentiles() {
    UsageSummary summary = new UsageSummary();
    for (int i = 1; i <= 20; i++) {
      CallRecord c = call("gpt-4o-mini", 10, 5, i * 10, i, null);
      c.facts().costUsd = 0.0005;
      summary.onCall(c);
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
    CallRecord c = call("gpt-4o-mini", 11, 7, 250, 40, null);
    c.facts().responseModel = "gpt-4o-mini-2024-07-18";
    c.facts().streamOutcome = StreamOutcome.COMPLETED;
    c.facts().costUsd = 0.0000058;
    assertEquals("[llm-otel-agent] chat gpt-4o-mini-2024-07-18 via openai@api.openai.com  250 ms  ttfc 40 ms"
        + "  tokens in=11 out=7  $0.0000058  stream completed", ConsoleCallReporter.format(c));
  }
}
