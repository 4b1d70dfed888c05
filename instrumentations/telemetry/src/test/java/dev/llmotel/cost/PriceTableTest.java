package dev.llmotel.cost;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
  static PriceTable table;

  @BeforeAll
  static void load() throws Exception {
    table = PriceTable.bundled();
  }

  private static CallFacts facts(String provider, String model, long in, long out, long cacheRead, long cacheCreate) {
    CallFacts f = new CallFacts();
    f.request.providerName = provider;
    f.response.model = model;
    f.usage.inputTokens = in;
    f.usage.outputTokens = out;
    f.usage.cacheReadTokens = cacheRead;
    f.usage.cacheCreationTokens = cacheCreate;
    return f;
  }

  private static double cost(CallFacts f) {
    Double cost = new CostCalculator(table).cost(f);
    assertNotNull(cost, "no price found");
    return cost;
  }

  @Test
  void bundledTableCoversTheMainProvidersChatAndEmbeddingModels() {
    assertTrue(table.size() > 500, "size " + table.size());
    for (String[] pm : new String[][] {{"openai", "gpt-4o"}, {"openai", "gpt-4o-mini"}, {"openai", "text-embedding-3-small"},
        {"anthropic", "claude-sonnet-4-5"}, {"gcp.gemini", "gemini-2.5-pro"}, {"mistral_ai", "mistral-large-latest"},
        {"deepseek", "deepseek-chat"}, {"groq", "llama-3.1-8b-instant"}}) {
      assertNotNull(table.find(pm[0], pm[1]), pm[0] + " " + pm[1]);
    }
  }

  @Test
  void openAiCachedInputIsCheaperAndReasoningIsBilledAsOutput() {
    // gpt-4o-mini: $0.15/M input, $0.075/M cached input, $0.60/M output. 1000 input of which 200 cached; 500 output
    // of which 100 reasoning (reasoning is part of output).
    CallFacts f = facts("openai", "gpt-4o-mini-2024-07-18", 1000, 500, 200, -1);
    f.usage.reasoningTokens = 100;
    assertEquals(800 * 0.15e-6 + 200 * 0.075e-6 + 500 * 0.60e-6, cost(f), 1e-12);
  }

  @Test
  void audioModelsPricedPerTokenUseTheirAudioTokenPrices() {
    // gpt-4o-mini-transcribe: $1.25/M (audio) input, $5/M output; gpt-4o-mini-tts: $2.5/M input, $12/M audio output
    assertEquals(42 * 1.25e-6 + 7 * 5e-6, cost(facts("openai", "gpt-4o-mini-transcribe", 42, 7, -1, -1)), 1e-12);
    assertEquals(12 * 2.5e-6 + 90 * 12e-6, cost(facts("openai", "gpt-4o-mini-tts", 12, 90, -1, -1)), 1e-12);
    // priced per second or per character only: not in the table
    assertNull(table.find("openai", "whisper-1"));
    assertNull(table.find("openai", "tts-1"));
  }

  @Test
  void anthropicCacheCreationCostsMoreThanInput() {
    // claude-sonnet-4-5: $3/M input, $0.30/M cache read, $3.75/M cache write, $15/M output; semconv input includes
    // both cache counts.
    CallFacts f = facts("anthropic", "claude-sonnet-4-5", 1500, 100, 300, 200);
    assertEquals(1000 * 3e-6 + 300 * 0.3e-6 + 200 * 3.75e-6 + 100 * 15e-6, cost(f), 1e-12);
  }

  @Test
  void theBreakdownSplitsTheSameCostPerKindOfToken() {
    CallFacts f = facts("anthropic", "claude-sonnet-4-5", 1500, 100, 300, 200);
    CostBreakdown b = new CostCalculator(table).breakdown(f);
    assertEquals(1000 * 3e-6, b.input(), 1e-12);
    assertEquals(300 * 0.3e-6, b.cacheRead(), 1e-12);
    assertEquals(200 * 3.75e-6, b.cacheCreation(), 1e-12);
    assertEquals(100 * 15e-6, b.output(), 1e-12);
    assertEquals(cost(f), b.total(), 1e-15);
    f.response.reportedCostUsd = 0.5;
    assertNull(new CostCalculator(table).breakdown(f), "a proxy's cost is a total only");
    assertNull(new CostCalculator(table).breakdown(facts("openai", "no-such-model", 10, 10, -1, -1)));
  }

  @Test
  void datedAndPrefixedModelNamesResolveToTheirBaseModel() {
    assertSame(table.find("openai", "gpt-4o-mini"), table.find("openai", "gpt-4o-mini-2031-01-01"));
    assertSame(table.find("anthropic", "claude-sonnet-4-5"), table.find("anthropic", "claude-sonnet-4-5-20991231"));
    assertSame(table.find("gcp.gemini", "gemini-2.5-pro"), table.find(null, "gemini/gemini-2.5-pro"));
    assertSame(table.find("openai", "gpt-4o-mini"), table.find("openai", "openai/gpt-4o-mini"));
  }

  @Test
  void tieredPricesApplyAbove200kInputTokens() {
    // gemini-2.5-pro via the Gemini API: $1.25/M and $10/M up to 200k input tokens, $2.50/M and $15/M above.
    assertEquals(1000 * 1.25e-6 + 100 * 10e-6, cost(facts("gcp.gemini", "gemini-2.5-pro", 1000, 100, -1, -1)), 1e-12);
    assertEquals(250_000 * 2.5e-6 + 1000 * 15e-6,
        cost(facts("gcp.gemini", "gemini-2.5-pro", 250_000, 1000, -1, -1)), 1e-9);
  }

  @Test
  void unknownModelsGetNoCostNeverAWrongOne() {
    CallFacts f = facts("ollama", "my-finetuned-llama", 100, 100, -1, -1);
    assertNull(new CostCalculator(table).cost(f));
  }

  @Test
  void aProxyReportedCostWins() {
    CallFacts f = facts("openai", "gpt-4o-mini", 1000, 500, -1, -1);
    f.response.reportedCostUsd = 0.5;
    assertEquals(0.5, new CostCalculator(table).cost(f));
  }

  @Test
  void userFileOverridesAndExtends(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.csv");
    Files.write(file, java.util.Arrays.asList("# negotiated", "gpt-4o-mini,0.10,0.40", "my-llama,1,2,0.5"));
    PriceTable custom = table.withOverrides(file);
    // the bundled table has the dated name; the user's undated entry still wins
    CallFacts mini = facts("openai", "gpt-4o-mini-2024-07-18", 1_000_000, 1_000_000, -1, -1);
    mini.request.model = "gpt-4o-mini";
    assertEquals(0.50, new CostCalculator(custom).cost(mini), 1e-9);
    CallFacts llama = facts("ollama", "my-llama", 2_000_000, 0, 1_000_000, -1);
    assertEquals(1.0 + 0.5, new CostCalculator(custom).cost(llama), 1e-9);
  }

  @Test
  void aMalformedUserFileNamesTheLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.csv");
    Files.write(file, java.util.Arrays.asList("gpt-4o-mini,cheap,0.40"));
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> table.withOverrides(file));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }
}
