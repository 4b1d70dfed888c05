package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.named;
import static dev.llmotel.it.LlmSpanAssertions.streamed;
import static dev.llmotel.it.LlmSpanAssertions.withUsage;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.OpenAiPayloads;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code gen_ai.usage.cost} on spans: the bundled price table for known models (dated response names resolved),
 * nothing for unknown models or calls without usage, and the user's prices file overriding and extending the table.
 */
class CostOnSpansTest {
  static final String COST = "gen_ai.usage.cost";

  /**
   * The bundled table's {@code gpt-4o-mini-2024-07-18} line (model-prices.tsv: input 1.5e-07, output 6e-07,
   * cache read 7.5e-08 USD per token) applied to the simulator's usage: 11 input of which 3 cached, 7 output
   * (the 2 reasoning tokens are part of the output).
   */
  static final double GPT_4O_MINI_CALL_USD = (OpenAiPayloads.PROMPT_TOKENS - OpenAiPayloads.CACHED_TOKENS) * 1.5e-07
      + OpenAiPayloads.CACHED_TOKENS * 7.5e-08 + OpenAiPayloads.COMPLETION_TOKENS * 6e-07;
  /** text-embedding-3-small: 2e-08 USD per input token, 5 tokens. */
  static final double EMBEDDINGS_CALL_USD = OpenAiPayloads.EMBEDDING_PROMPT_TOKENS * 2e-08;

  static List<Jdk> jdks() { return Jdk.all(); }

  private static ReceivedSpan single(TelemetryRun run, String receiver, String description,
      Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> found = run.llmSpans(receiver).stream().filter(filter).toList();
    assertEquals(1, found.size(), "spans " + description + "\n" + run.describe());
    return found.get(0);
  }

  /** The span's cost; fails unless it is a double. */
  static double cost(ReceivedSpan s) {
    assertInstanceOf(Double.class, s.attr(COST), "gen_ai.usage.cost (double USD) on " + s);
    return (Double) s.attr(COST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void bundledPricesForKnownModels(Jdk jdk) {
    TelemetryRun run = TelemetryScenarios.openAiJavaWithMetricsAndContent(jdk);
    assertEquals(5.625e-6, GPT_4O_MINI_CALL_USD, 1e-15);
    ReceivedSpan chat = single(run, "otlp", "chat", named("chat gpt-4o-mini").and(streamed().negate()));
    ReceivedSpan stream = single(run, "otlp", "stream with usage",
        named("chat gpt-4o-mini").and(streamed()).and(withUsage()));
    ReceivedSpan embeddings = single(run, "otlp", "embeddings", named("embeddings text-embedding-3-small"));
    assertAll(run.describe(),
        () -> assertEquals(GPT_4O_MINI_CALL_USD, cost(chat), 1e-12, chat.toString()),
        () -> assertEquals(GPT_4O_MINI_CALL_USD, cost(stream), 1e-12, stream.toString()),
        () -> assertEquals(EMBEDDINGS_CALL_USD, cost(embeddings), 1e-12, embeddings.toString()),
        // the same cost split per kind of token (Langfuse's cost details are made from it)
        () -> assertEquals((OpenAiPayloads.PROMPT_TOKENS - OpenAiPayloads.CACHED_TOKENS) * 1.5e-07,
            (Double) chat.attr("llmotel.cost.input"), 1e-15, chat.toString()),
        () -> assertEquals(OpenAiPayloads.CACHED_TOKENS * 7.5e-08, (Double) chat.attr("llmotel.cost.cache_read"),
            1e-15, chat.toString()),
        () -> assertEquals(OpenAiPayloads.COMPLETION_TOKENS * 6e-07, (Double) chat.attr("llmotel.cost.output"), 1e-15,
            chat.toString()),
        () -> assertFalse(chat.has("llmotel.cost.cache_creation"), "no cache writes, no cache-write cost"),
        () -> assertEquals(EMBEDDINGS_CALL_USD, (Double) embeddings.attr("llmotel.cost.input"), 1e-15));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void noCostForUnknownModelsOrMissingUsage(Jdk jdk) {
    TelemetryRun run = TelemetryScenarios.openAiJavaWithMetricsAndContent(jdk);
    ReceivedSpan noUsage = single(run, "otlp", "stream without usage",
        named("chat gpt-4o-mini").and(streamed()).and(withUsage().negate()));
    assertAll(run.describe(),
        () -> assertFalse(noUsage.has(COST), "cost without usage: " + noUsage),
        () -> assertFalse(noUsage.has("llmotel.cost.input"), "cost split without usage: " + noUsage),
        () -> assertFalse(single(run, "otlp", "sim-slow", named("chat sim-slow")).has(COST), "unknown model sim-slow"),
        () -> assertFalse(single(run, "otlp", "sim-long", named("chat sim-long")).has(COST), "unknown model sim-long"),
        () -> assertFalse(single(run, "otlp", "429", named("chat sim-429")).has(COST), "cost on a 429"),
        () -> assertFalse(single(run, "otlp", "500", named("chat sim-500")).has(COST), "cost on a 500"));
  }

  /**
   * {@code OTEL_INSTRUMENTATION_LLM_PRICES_FILE} with {@code gpt-4o-mini,0.5,2.0,0.25} (USD per million: input,
   * output, cache read): the negotiated price replaces the bundled one for calls to gpt-4o-mini, whose responses name
   * the dated {@code gpt-4o-mini-2024-07-18}.
   */
  @Test
  void pricesFileOverridesTheBundledPrice() {
    TelemetryRun run = TelemetryScenarios.okHttpWithOwnPricesAndMetricsOff(Jdk.current());
    double negotiated = (OpenAiPayloads.PROMPT_TOKENS - OpenAiPayloads.CACHED_TOKENS) * 0.5e-6
        + OpenAiPayloads.CACHED_TOKENS * 0.25e-6 + OpenAiPayloads.COMPLETION_TOKENS * 2.0e-6;
    ReceivedSpan chat = single(run, "otlp", "chat", named("chat gpt-4o-mini").and(streamed().negate()));
    ReceivedSpan stream = single(run, "otlp", "stream", named("chat gpt-4o-mini").and(streamed()));
    assertAll(run.describe(),
        () -> assertEquals(OpenAiPayloads.CHAT_RESPONSE_MODEL, chat.attr("gen_ai.response.model")),
        () -> assertEquals(negotiated, cost(chat), 1e-12, "gpt-4o-mini at the file's price: " + chat),
        () -> assertEquals(negotiated, cost(stream), 1e-12, "streamed, same price: " + stream));
  }

  /** The same file's {@code sim-huge,1,2} prices a model the bundled table does not know. */
  @Test
  void pricesFileExtendsTheTable() {
    TelemetryRun run = TelemetryScenarios.okHttpWithOwnPricesAndMetricsOff(Jdk.current());
    // HugeCompletionBody: 11 prompt tokens, completion tokens = 50 MiB / 4, no cached tokens
    double huge = OpenAiPayloads.PROMPT_TOKENS * 1e-6 + (50L * 1024 * 1024 / 4) * 2e-6;
    ReceivedSpan hugeSpan = single(run, "otlp", "sim-huge", named("chat sim-huge"));
    assertAll(run.describe(),
        () -> assertEquals(0, run.jvm().exitCode()),
        () -> assertFalse(run.jvm().stderr().contains("prices.file"), "the prices file was refused"),
        () -> assertEquals(huge, cost(hugeSpan), 1e-9, "sim-huge priced by the file: " + hugeSpan),
        () -> assertFalse(single(run, "otlp", "429", named("chat sim-429")).has(COST)));
  }
}
