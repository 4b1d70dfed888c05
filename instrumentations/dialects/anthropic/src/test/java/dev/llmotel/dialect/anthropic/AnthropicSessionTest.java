package dev.llmotel.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.StreamOutcome;
import dev.llmotel.testkit.dialect.Recording;
import dev.llmotel.testkit.dialect.SessionRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the recordings do not show: capture off keeps no text, cut content, usage in later events, odd bodies. */
class AnthropicSessionTest {
  static final String SSE = "text/event-stream; charset=utf-8";
  static final String JSON = "application/json";

  /** Runs one call, bodies fed in pieces of {@code piece} bytes. */
  static CallFacts run(DialectContext context, String request, int status, String contentType, String response,
      int piece) {
    return SessionRuns.run(new AnthropicDialect().open(new ExchangeRequest("POST", "https", "api.anthropic.com", -1,
        "/v1/messages", null, HeaderLookup.NONE), context), request, status, contentType, response, piece, true);
  }

  static DialectContext capture(int maxChars) {
    return DialectContext.builder().captureContent(maxChars).build();
  }

  private static Recording recording(String name) throws Exception {
    return Recording.load(Path.of(AnthropicSessionTest.class.getResource("/recordings/" + name).toURI()));
  }

  /** A recording replayed under another context, the response fed in pieces of {@code piece} bytes. */
  static CallFacts replay(Recording r, DialectContext context, int piece) {
    return SessionRuns.run(new AnthropicDialect().open(r.exchangeRequest(), context), r.requestBody(), r.status(),
        r.responseHeaders(), r.responseBody(), piece, r.complete());
  }

  @Test
  void withoutCaptureNoTextIsKept() throws Exception {
    for (String name : List.of("content-capture", "content-capture-stream", "stream-thinking")) {
      CallFacts f = replay(recording(name), DialectContext.defaults(), Integer.MAX_VALUE);
      assertNull(f.request.inputMessagesJson, name);
      assertNull(f.request.systemInstructionsJson, name);
      assertNull(f.request.toolDefinitionsJson, name);
      assertNull(f.response.outputMessagesJson, name);
      assertEquals("claude-sonnet-4-5-20250929", f.response.model, name + ": the other facts are there");
    }
  }

  @Test
  void capturedTextIsCutPerPartAtTheLimit() throws Exception {
    CallFacts f = replay(recording("content-capture-stream"), capture(12), 1);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Okay, let me...[truncated]\"},"
        + "{\"type\":\"tool_call\",\"id\":\"toolu_01T1x1...[truncated]\",\"name\":\"get_weather\","
        + "\"arguments\":\"{\\\"location\\\":...[truncated]\"}],\"finish_reason\":\"tool_call\"}]",
        f.response.outputMessagesJson);
    assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is the ...[truncated]\"}]}]",
        f.request.inputMessagesJson);
    assertEquals("[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Get the curr...[truncated]\","
        + "\"parameters\":\"{\\\"type\\\":\\\"obj...[truncated]\"}]", f.request.toolDefinitionsJson,
        "a schema longer than the limit becomes a cut string");
  }

  @Test
  void aSystemStringAndImagesBecomeParts() {
    String request = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":100,\"system\":\"Be terse.\",\"messages\":["
        + "{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\","
        + "\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},{\"type\":\"image\",\"source\":{\"type\":\"url\","
        + "\"url\":\"https://example.com/a.png\"}},{\"type\":\"text\",\"text\":\"What is this?\"}]}]}";
    CallFacts f = run(capture(100), request, 200, JSON, "{}", 5);
    assertEquals("[{\"type\":\"text\",\"content\":\"Be terse.\"}]", f.request.systemInstructionsJson);
    assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"blob\",\"modality\":\"image\",\"mime_type\":\"image/png\","
        + "\"content\":\"iVBORw0KGgo=\"},{\"type\":\"uri\",\"modality\":\"image\",\"uri\":\"https://example.com/a.png\"},"
        + "{\"type\":\"text\",\"content\":\"What is this?\"}]}]", f.request.inputMessagesJson);
  }

  @Test
  void aDeltaTooLargeToReadCountsAndCutsItsBlock() {
    DialectContext small = DialectContext.builder().maxEventBytes(256).captureContent(1000).build();
    String stream = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
        + "\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi \"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + "x".repeat(300) + "\"}}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
        + "\"usage\":{\"output_tokens\":80}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    CallFacts f = run(small, "{\"model\":\"claude-haiku-4-5\",\"stream\":true}", 200, SSE, stream, 7);
    assertEquals(2, f.stream.chunkCount);
    assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
    assertEquals(80, f.usage.outputTokens);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi ...[truncated]\"}],"
        + "\"finish_reason\":\"stop\"}]", f.response.outputMessagesJson);
  }

  @Test
  void laterUsageReplacesEarlierCountsAndAddsToTheInput() {
    // newer API versions repeat input and cache counts, cumulative, in message_delta
    String stream = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\","
        + "\"model\":\"claude-opus-4-5\",\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":100,"
        + "\"output_tokens\":1}}}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"pause_turn\"},"
        + "\"usage\":{\"input_tokens\":5,\"cache_creation_input_tokens\":40,\"cache_read_input_tokens\":100,"
        + "\"output_tokens\":30,\"server_tool_use\":{\"web_search_requests\":1}}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    CallFacts f = run(DialectContext.defaults(), "{\"model\":\"claude-opus-4-5\",\"stream\":true}", 200, SSE,
        stream, 1);
    assertEquals(145, f.usage.inputTokens);
    assertEquals(100, f.usage.cacheReadTokens);
    assertEquals(40, f.usage.cacheCreationTokens);
    assertEquals(30, f.usage.outputTokens);
    assertEquals(List.of("pause_turn"), f.response.finishReasons, "no convention value: Anthropic's own");
  }

  @Test
  void errorBodiesOfOtherShapesKeepTheStatus() {
    CallFacts other = run(DialectContext.defaults(), "{\"model\":\"m\"}", 400, JSON, "{\"message\":\"bad\"}", 3);
    assertEquals("400", other.response.errorType);
    CallFacts noType = run(DialectContext.defaults(), "{\"model\":\"m\"}", 529, JSON,
        "{\"error\":{\"message\":\"Overloaded\"}}", 3);
    assertEquals("529", noType.response.errorType);
    assertEquals("Overloaded", noType.response.errorMessage);
    CallFacts inBody = run(DialectContext.defaults(), "{\"model\":\"m\"}", 200, JSON,
        "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}", 3);
    assertEquals("api_error", inBody.response.errorType, "an error body behind a 200 (some proxies)");
    CallFacts empty = run(DialectContext.defaults(), "", 200, JSON, "", 3);
    assertNull(empty.response.errorType);
    assertNull(empty.request.model);
  }

  @Test
  void stopReasonsMapToTheConventionsWhereTheyNameOne() {
    assertEquals("stop", MessageFields.finishReason("end_turn"));
    assertEquals("stop", MessageFields.finishReason("stop_sequence"));
    assertEquals("length", MessageFields.finishReason("max_tokens"));
    assertEquals("tool_call", MessageFields.finishReason("tool_use"));
    assertEquals("content_filter", MessageFields.finishReason("refusal"));
    assertEquals("model_context_window_exceeded", MessageFields.finishReason("model_context_window_exceeded"));
  }

}
