package dev.llmotel.it;

import static dev.llmotel.it.simulator.OpenAiPayloads.CACHED_TOKENS;
import static dev.llmotel.it.simulator.OpenAiPayloads.CHAT_RESPONSE_MODEL;
import static dev.llmotel.it.simulator.OpenAiPayloads.COMPLETION_TOKENS;
import static dev.llmotel.it.simulator.OpenAiPayloads.EMBEDDING_DIMENSIONS;
import static dev.llmotel.it.simulator.OpenAiPayloads.EMBEDDING_MODEL;
import static dev.llmotel.it.simulator.OpenAiPayloads.EMBEDDING_PROMPT_TOKENS;
import static dev.llmotel.it.simulator.OpenAiPayloads.PROMPT_TOKENS;
import static dev.llmotel.it.simulator.OpenAiPayloads.REASONING_TOKENS;
import static dev.llmotel.it.simulator.OpenAiPayloads.RESPONSE_ID;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.otlp.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The span contract for one LLM call, checked attribute by attribute against the simulator's scripted numbers. */
final class LlmSpanAssertions {
  static final String STREAM = "gen_ai.request.stream";
  static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
  static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  static final String CACHE_READ = "gen_ai.usage.cache_read.input_tokens";
  static final String REASONING = "gen_ai.usage.reasoning.output_tokens";
  static final String TTFC = "gen_ai.response.time_to_first_chunk";
  static final String OUTCOME = "llmotel.stream.outcome";
  static final String CHUNKS = "llmotel.stream.chunks";
  static final String ERROR_TYPE = "error.type";
  static final String HTTP_STATUS = "http.response.status_code";

  /**
   * {@code llmotel.stream.chunks} counts chunks carrying choices (the dialect's definition): the simulator's role,
   * three content and finish chunks; the {@code include_usage} chunk has {@code choices: []} and does not count.
   */
  static final long CHOICE_CHUNKS = 5;

  private LlmSpanAssertions() {}

  static Predicate<ReceivedSpan> named(String name) { return s -> s.name().equals(name); }

  static Predicate<ReceivedSpan> streamed() { return s -> Boolean.TRUE.equals(s.attr(STREAM)); }

  static Predicate<ReceivedSpan> withUsage() { return s -> s.has(INPUT_TOKENS); }

  /** A chat call the simulator answered with its scripted completion (streamed or not). */
  static void assertSuccessfulChat(ReceivedSpan s, String responseModel) {
    assertAll(s.toString(),
        () -> assertEquals("chat", s.attr("gen_ai.operation.name")),
        () -> assertEquals(RESPONSE_ID, s.attr("gen_ai.response.id")),
        () -> assertEquals(responseModel, s.attr("gen_ai.response.model")),
        () -> assertEquals(List.of("stop"), s.attr("gen_ai.response.finish_reasons")),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertFalse(s.has(ERROR_TYPE), "error.type on a successful call"),
        () -> assertFalse(s.statusCode() == Status.StatusCode.STATUS_CODE_ERROR, "status ERROR on a successful call"));
  }

  static void assertSuccessfulChat(ReceivedSpan s) { assertSuccessfulChat(s, CHAT_RESPONSE_MODEL); }

  /** The scripted usage: 11 in (3 cached), 7 out (2 reasoning). */
  static void assertFullUsage(ReceivedSpan s) {
    assertAll(s.toString(),
        () -> assertEquals(PROMPT_TOKENS, s.attr(INPUT_TOKENS)),
        () -> assertEquals(COMPLETION_TOKENS, s.attr(OUTPUT_TOKENS)),
        () -> assertEquals(CACHED_TOKENS, s.attr(CACHE_READ)),
        () -> assertEquals(REASONING_TOKENS, s.attr(REASONING)));
  }

  /** A stream sent without {@code include_usage} carries no usage, so the span must not invent any. */
  static void assertNoUsage(ReceivedSpan s) {
    assertAll(s.toString(),
        () -> assertFalse(s.has(INPUT_TOKENS)),
        () -> assertFalse(s.has(OUTPUT_TOKENS)));
  }

  static void assertNotStreamed(ReceivedSpan s) {
    assertAll(s.toString(),
        () -> assertFalse(s.has(STREAM), "gen_ai.request.stream on a non-streamed call"),
        () -> assertFalse(s.has(TTFC), "time_to_first_chunk on a non-streamed call"),
        () -> assertFalse(s.has(OUTCOME), "stream outcome on a non-streamed call"));
  }

  /** A stream read to its {@code [DONE]}. */
  static void assertCompletedStream(ReceivedSpan s, long chunks) {
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals("completed", s.attr(OUTCOME)),
        () -> assertEquals(chunks, s.attr(CHUNKS)),
        () -> assertTimeToFirstChunk(s, 0));
  }

  static void assertTimeToFirstChunk(ReceivedSpan s, double atLeastSeconds) {
    Object ttfc = s.attr(TTFC);
    assertInstanceOf(Double.class, ttfc, "gen_ai.response.time_to_first_chunk (double seconds): " + s);
    double seconds = (Double) ttfc;
    assertTrue(seconds >= atLeastSeconds && seconds <= s.durationSeconds() + 1e-6,
        "time to first chunk " + seconds + " s should be within [" + atLeastSeconds + ", span duration "
            + s.durationSeconds() + " s]: " + s);
  }

  /** An HTTP error answered with OpenAI's error body. */
  static void assertHttpError(ReceivedSpan s, long status, String errorType) {
    assertAll(s.toString(),
        () -> assertEquals("chat", s.attr("gen_ai.operation.name")),
        () -> assertEquals(status, s.attr(HTTP_STATUS)),
        () -> assertEquals(errorType, s.attr(ERROR_TYPE)),
        () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()),
        () -> assertFalse(s.has(INPUT_TOKENS), "usage on an error"));
  }

  /** The scripted embeddings response: 8 dimensions, 5 input tokens. */
  static void assertEmbeddings(ReceivedSpan s) {
    assertAll(s.toString(),
        () -> assertEquals("embeddings", s.attr("gen_ai.operation.name")),
        () -> assertEquals(EMBEDDING_MODEL, s.attr("gen_ai.request.model")),
        () -> assertEquals(EMBEDDING_MODEL, s.attr("gen_ai.response.model")),
        () -> assertEquals(EMBEDDING_PROMPT_TOKENS, s.attr(INPUT_TOKENS)),
        () -> assertEquals((long) EMBEDDING_DIMENSIONS, s.attr("gen_ai.embeddings.dimension.count")),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertFalse(s.has(ERROR_TYPE)),
        () -> assertFalse(s.has(STREAM)));
  }

  /**
   * The span's attributes are exactly {@code expected} plus, when given, a cost within 1e-12 USD of it (with its split
   * per kind of token, {@code llmotel.cost.*}, summing to it; neither without a cost) and, for streams, a time to
   * first chunk within the span.
   */
  static void assertExactly(ReceivedSpan s, Map<String, Object> expected, Double cost) {
    Map<String, Object> actual = new TreeMap<>(s.attributes());
    Object actualCost = actual.remove(CostOnSpansTest.COST);
    double split = 0;
    int splitKeys = 0;
    for (Iterator<Map.Entry<String, Object>> it = actual.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Object> e = it.next();
      if (!e.getKey().startsWith("llmotel.cost.")) continue;
      split += ((Number) e.getValue()).doubleValue();
      splitKeys++;
      it.remove();
    }
    double splitSum = split;
    int splitCount = splitKeys;
    boolean stream = actual.containsKey(TTFC);
    actual.remove(TTFC);
    assertAll(s.toString(),
        () -> assertEquals(new TreeMap<>(expected), actual),
        () -> {
          if (cost == null) {
            assertFalse(actualCost != null, "no cost expected: " + actualCost);
            assertEquals(0, splitCount, "no cost split expected");
          } else {
            assertEquals(cost, CostOnSpansTest.cost(s), 1e-12);
            assertEquals(cost, splitSum, 1e-12, "the cost per kind of token sums to the cost");
          }
        },
        () -> assertEquals(Boolean.TRUE.equals(expected.get(STREAM)), stream, "time to first chunk"),
        () -> {
          if (stream) assertTimeToFirstChunk(s, 0);
        });
  }
}
