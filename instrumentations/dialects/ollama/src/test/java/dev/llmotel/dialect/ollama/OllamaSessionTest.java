package dev.llmotel.dialect.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.testkit.dialect.SessionRuns;
import dev.llmotel.exchange.StreamOutcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Details the recordings leave out: parameter shapes, bodies that are not Ollama's, limits, errors, content limits. */
class OllamaSessionTest {
  static final String NDJSON = "application/x-ndjson";
  static final String JSON = "application/json; charset=utf-8";

  static String line(String content) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2025-10-21T09:13:02.4Z\",\"message\":{\"role\":\"assistant\","
        + "\"content\":\"" + content + "\"},\"done\":false}\n";
  }

  static final String DONE = "{\"model\":\"llama3.2\",\"created_at\":\"2025-10-21T09:13:02.5Z\",\"message\":{\"role\":"
      + "\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"prompt_eval_count\":12,"
      + "\"eval_count\":3}\n";
  static final String STREAM = line("Hi") + line(" you") + DONE;
  static final String CHAT = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  static DialectContext context(boolean capture, int maxChars) {
    return capture ? DialectContext.builder().captureContent(maxChars).build() : DialectContext.defaults();
  }

  static CallFacts run(String path, String request, int status, String contentType, String body) {
    return run(DialectContext.defaults(), path, request, status, contentType, body, 7, true);
  }

  static CallFacts run(DialectContext context, String path, String request, int status, String contentType,
      String body, int pieceSize, boolean complete) {
    DialectSession s = new OllamaDialect().open(
        new ExchangeRequest("POST", "http", "localhost", 11434, path, null, HeaderLookup.NONE), context);
    return SessionRuns.run(s, request, status, contentType, body, pieceSize, complete);
  }

  @Test
  void optionsInTheirOtherShapes() {
    String request = "{\"model\":\"llama3.2\",\"prompt\":\"x\",\"stream\":false,\"format\":{\"type\":\"object\","
        + "\"properties\":{\"a\":{\"type\":\"string\"}}},\"options\":{\"stop\":\"END\",\"num_predict\":-1,"
        + "\"frequency_penalty\":0.5,\"presence_penalty\":1.5,\"seed\":7,\"top_k\":20}}";
    CallFacts f = run("/api/generate", request, 200, JSON, "{\"model\":\"llama3.2\",\"response\":\"{}\",\"done\":true}");
    assertEquals(List.of("END"), f.request.stopSequences);
    assertNull(f.request.maxTokens, "num_predict -1 is no limit");
    assertEquals(0.5, f.request.frequencyPenalty);
    assertEquals(1.5, f.request.presencePenalty);
    assertEquals(7L, f.request.seed);
    assertEquals(20.0, f.request.topK);
    assertEquals("json", f.request.outputType, "a JSON schema is structured output");
    assertFalse(f.stream.streamed);
    assertTrue(f.response.finishReasons.isEmpty(), "no done_reason, none invented");
  }

  @Test
  void streamIsTheDefaultForChatAndGenerateOnly() {
    assertTrue(run("/api/chat", "{\"model\":\"m\",\"stream\":null}", 200, NDJSON, DONE).stream.streamed);
    assertTrue(run("/api/generate", "{\"model\":\"m\"}", 200, NDJSON, DONE).stream.streamed);
    assertFalse(run("/api/chat", "{\"model\":\"m\",\"stream\":false}", 200, JSON, DONE).stream.streamed);
    CallFacts embed = run("/api/embed", "{\"model\":\"all-minilm\",\"input\":\"x\"}", 200, JSON,
        "{\"model\":\"all-minilm\",\"embeddings\":[[0.1,0.2,0.3]],\"prompt_eval_count\":2}");
    assertFalse(embed.stream.streamed);
    assertEquals(3, embed.response.embeddingDimensions);
    assertEquals(2, embed.usage.inputTokens);
  }

  @Test
  void withoutContentTypeTheRequestedStreamDecides() {
    CallFacts streamed = run("/api/chat", CHAT, 200, null, STREAM);
    assertEquals(StreamOutcome.COMPLETED, streamed.stream.outcome);
    assertEquals(3, streamed.stream.chunkCount);
    assertEquals(12, streamed.usage.inputTokens);
    CallFacts whole = run("/api/chat", "{\"model\":\"llama3.2\",\"stream\":false}", 200, null, DONE);
    assertNull(whole.stream.outcome);
    assertEquals(3, whole.usage.outputTokens);
  }

  @Test
  void bodiesThatAreNotOllamasLeaveTheFactsEmpty() {
    String[][] cases = {
        {"/api/chat", "not json"},
        {"/api/chat", "[{\"model\":\"m\"}]"},
        {"/api/chat", "{\"messages\":[{\"role\":\"user\",\"parts\":[]}]}"},
        {"/api/chat", "{\"model\":42,\"messages\":[]}"},
        {"/api/chat", "{\"model\":\"m\",\"messages\":\"hi\"}"},
        {"/api/chat", "{\"model\":\"m\",\"options\":[1]}"},
        {"/api/chat", "{\"model\":\"m\",\"stream\":\"yes\"}"},
        {"/api/generate", "{\"model\":\"m\",\"prompt\":[\"a\"]}"},
        {"/api/embed", "{\"model\":\"m\",\"input\":{\"a\":1}}"},
        {"/api/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"OpenAI-shaped\"}"},
        {"/api/chat", ""},
    };
    String openAiLike = "{\"model\":\"m\",\"prompt_eval_count\":5,\"eval_count\":6,\"done\":true,\"done_reason\":\"stop\","
        + "\"data\":[{\"embedding\":[1,2]}],\"usage\":{\"prompt_tokens\":5}}";
    for (String[] c : cases) {
      CallFacts f = run(c[0], c[1], 200, JSON, openAiLike);
      String what = c[0] + " " + c[1];
      assertNull(f.request.providerName, what);
      assertNull(f.request.model, what);
      assertNull(f.response.model, what);
      assertEquals(-1, f.usage.inputTokens, what);
      assertTrue(f.response.finishReasons.isEmpty(), what);
      assertFalse(f.stream.streamed, what);
      assertEquals(200, f.response.httpStatus, what);
    }
  }

  @Test
  void aStreamOfAnotherApiIsCompleteWhenReadToItsEndAndAbandonedWhenClosed() {
    String vercel = "{\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[]}]}";
    String sse = "data: {\"type\":\"text-delta\",\"delta\":\"Hi\"}\n\n";
    CallFacts read = run(DialectContext.defaults(), "/api/chat", vercel, 200, "text/event-stream", sse, 5, true);
    assertEquals(StreamOutcome.COMPLETED, read.stream.outcome);
    assertNull(read.response.errorType);
    CallFacts closed = run(DialectContext.defaults(), "/api/chat", vercel, 200, "text/event-stream", sse, 5, false);
    assertEquals(StreamOutcome.ABANDONED, closed.stream.outcome);
  }

  @Test
  void errorBodies() {
    CallFacts server = run("/api/chat", CHAT, 500, JSON, "{\"error\":{\"message\":\"llama runner process has terminated\"}}");
    assertEquals("500", server.response.errorType);
    assertEquals("llama runner process has terminated", server.response.errorMessage);
    assertNull(server.stream.outcome, "an error body to a streaming request is no stream");

    CallFacts okButError = run("/api/chat", "{\"model\":\"m\",\"stream\":false}", 200, JSON, "{\"error\":\"boom\"}");
    assertEquals("error", okButError.response.errorType);
    assertEquals("boom", okButError.response.errorMessage);

    CallFacts longMessage = run("/api/chat", CHAT, 400, JSON, "{\"error\":\"" + "e".repeat(2000) + "\"}");
    assertEquals(OllamaLimits.MAX_ERROR_MESSAGE_CHARS, longMessage.response.errorMessage.length());

    CallFacts firstLine = run("/api/chat", CHAT, 200, NDJSON, "{\"error\":\"model is loading\"}\n");
    assertEquals("stream_error", firstLine.response.errorType);
    assertEquals(StreamOutcome.TRUNCATED, firstLine.stream.outcome);
    assertEquals(0, firstLine.stream.chunkCount);
  }

  @Test
  void finalLineWithoutLineEndOrWithBytesAfterIt() {
    CallFacts noNewline = run("/api/chat", CHAT, 200, NDJSON, STREAM.substring(0, STREAM.length() - 1));
    assertEquals(StreamOutcome.COMPLETED, noNewline.stream.outcome);
    assertEquals(3, noNewline.stream.chunkCount);
    assertEquals(List.of("stop"), noNewline.response.finishReasons);

    CallFacts trailing = run(DialectContext.defaults(), "/api/chat", CHAT, 200, NDJSON, STREAM + line("late"), 4096,
        true);
    assertEquals(3, trailing.stream.chunkCount, "the call is over at the final line");
    assertEquals(StreamOutcome.COMPLETED, trailing.stream.outcome);

    CallFacts cutFinal = run("/api/chat", CHAT, 200, NDJSON, line("Hi") + DONE.substring(0, 120));
    assertEquals(StreamOutcome.TRUNCATED, cutFinal.stream.outcome);
    assertEquals(1, cutFinal.stream.chunkCount);
    assertEquals(-1, cutFinal.usage.outputTokens);
  }

  @Test
  void pastTheParseLimitLinesAreCountedAndTheFinalLineStillRead() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 50; i++) body.append(line("word" + i + " "));
    body.append(DONE);
    DialectContext small = DialectContext.builder().maxParsedBytes(600).build();
    CallFacts f = run(small, "/api/chat", CHAT, 200, NDJSON, body.toString(), 100, true);
    assertEquals(51, f.stream.chunkCount);
    assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
    assertEquals(12, f.usage.inputTokens);
    assertEquals(3, f.usage.outputTokens);
  }

  @Test
  void anOversizedLineIsStillAChunk() {
    DialectContext small = DialectContext.builder().maxEventBytes(256).build();
    CallFacts f = run(small, "/api/chat", CHAT, 200, NDJSON, line("x".repeat(1000)) + DONE, 64, true);
    assertEquals(2, f.stream.chunkCount);
    assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
    assertEquals("llama3.2", f.response.model);
  }

  @Test
  void contentIsKeptOnlyWhenCaptureIsOnAndCutAtTheLimit() {
    CallFacts off = run(context(false, 0), "/api/chat", CHAT, 200, NDJSON, STREAM, 5, true);
    assertNull(off.request.inputMessagesJson);
    assertNull(off.response.outputMessagesJson);

    String request = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"},"
        + "{\"role\":\"user\",\"content\":\"\",\"images\":[\"aGVsbG8=\",\"aGVsbG8=\"]}]}";
    CallFacts cut = run(context(true, 5), "/api/chat", request, 200, NDJSON, line("Hello") + line(" world") + DONE,
        3, true);
    assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello...[truncated]\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"type\":\"blob\",\"modality\":\"image\"},"
        + "{\"type\":\"blob\",\"modality\":\"image\"}]}]", cut.request.inputMessagesJson);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello...[truncated]\"}],"
        + "\"finish_reason\":\"stop\"}]", cut.response.outputMessagesJson);

    CallFacts unfinished = run(context(true, 100), "/api/chat", CHAT, 200, NDJSON, line("Hel"), 3, true);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hel\"}],"
        + "\"finish_reason\":\"error\"}]", unfinished.response.outputMessagesJson);
  }

  @Test
  void completeObjectTellsAWholeLineFromACutOne() {
    assertTrue(complete("{\"a\":\"}\",\"b\":{\"c\":[1,2]}}"));
    assertTrue(complete("{\"a\":\"\\\"}\"} "));
    assertFalse(complete("{\"a\":{\"b\":1}"));
    assertFalse(complete("{\"a\":\"x}"));
    assertFalse(complete("{\"a\":1}x"));
    assertFalse(complete("[1]"));
    assertFalse(complete(""));
  }

  private static boolean complete(String s) {
    byte[] b = ("__" + s).getBytes(StandardCharsets.UTF_8);
    return OllamaStream.completeObject(b, 2, b.length - 2);
  }
}
