package dev.llmotel.cost;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.GenAiFacts;
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

  private static GenAiFacts facts(String provider, String model, long in, long out, long cacheRead, long cacheCreate) {
    GenAiFacts f = new GenAiFacts();
    f.providerName = provider;
    f.responseModel = model;
    f.inputTokens = in;
    f.outputTokens = out;
    f.cacheReadTokens = cacheRead;
    f.cacheCreationTokens = cacheCreate;
    return f;
  }

  private static double cost(GenAiFacts f) {
    new CostCalculator(table).apply(f);
    assertNotNull(f.costUsd, "no price found");
    return f.costUsd;
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
    GenAiFacts f = facts("openai", "gpt-4o-mini-2024-07-18", 1000, 500, 200, -1);
    f.reasoningTokens = 100;
    assertEquals(800 * 0.15e-6 + 200 * 0.075e-6 + 500 * 0.60e-6, cost(f), 1e-12);
  }

  @Test
  void anthropicCacheCreationCostsMoreThanInput() {
    // claude-sonnet-4-5: $3/M input, $0.30/M cache read, $3.75/M cache write, $15/M output; semconv input includes
    // both cache counts.
    GenAiFacts f = facts("anthropic", "claude-sonnet-4-5", 1500, 100, 300, 200);
    assertEquals(1000 * 3e-6 + 300 * 0.3e-6 + 200 * 3.75e-6 + 100 * 15e-6, cost(f), 1e-12);
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
    GenAiFacts f = facts("ollama", "my-finetuned-llama", 100, 100, -1, -1);
    new CostCalculator(table).apply(f);
    assertNull(f.costUsd);
  }

  @Test
  void aProxyReportedCostWins() {
    GenAiFacts f = facts("openai", "gpt-4o-mini", 1000, 500, -1, -1);
    f.costUsd = 0.5;
    new CostCalculator(table).apply(f);
    assertEquals(0.5, f.costUsd);
  }

  @Test
  void userFileOverridesAndExtends(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.csv");
    Files.write(file, java.util.Arrays.asList("# negotiated", "gpt-4o-mini,0.10,0.40", "my-llama,1,2,0.5"));
    PriceTable custom = table.withOverrides(file);
    // the bundled table has the dated name; the user's undated entry still wins
    GenAiFacts mini = facts("openai", "gpt-4o-mini-2024-07-18", 1_000_000, 1_000_000, -1, -1);
    mini.requestModel = "gpt-4o-mini";
    new CostCalculator(custom).apply(mini);
    assertEquals(0.50, mini.costUsd, 1e-9);
    GenAiFacts llama = facts("ollama", "my-llama", 2_000_000, 0, 1_000_000, -1);
    new CostCalculator(custom).apply(llama);
    assertEquals(1.0 + 0.5, llama.costUsd, 1e-9);
  }

  @Test
  void aMalformedUserFileNamesTheLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.csv");
    Files.write(file, java.util.Arrays.asList("gpt-4o-mini,cheap,0.40"));
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> table.withOverrides(file));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }
}
