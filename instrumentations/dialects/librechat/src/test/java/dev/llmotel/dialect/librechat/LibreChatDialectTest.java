package dev.llmotel.dialect.librechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.ContinuationFacts.Role;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.openai.OpenAiDialect;
import dev.llmotel.dialect.openairesponses.OpenAiResponsesDialect;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.StreamOutcome;
import dev.llmotel.testkit.dialect.SessionRuns;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LibreChat v0.8 turns, on handwritten payloads shaped as the reference page describes. */
class LibreChatDialectTest {
  static final String SSE = "text/event-stream";
  static final String JSON = "application/json";
  static final String CONV = "6f1e2d3c-0000-4000-8000-000000000001";
  static final String CHAT_BODY = "{\"text\":\"What is the capital of France?\",\"endpoint\":\"openAI\","
      + "\"model\":\"gpt-4o-mini\",\"conversationId\":\"new\","
      + "\"parentMessageId\":\"00000000-0000-0000-0000-000000000000\",\"messageId\":\"msg-user-1\"}";
  static final String STARTED = "{\"streamId\":\"" + CONV + "\",\"conversationId\":\"" + CONV
      + "\",\"status\":\"started\"}";
  static final String FINAL = "{\"final\":true,\"conversation\":{\"conversationId\":\"" + CONV + "\"},"
      + "\"title\":\"Capital\",\"requestMessage\":{\"messageId\":\"msg-user-1\",\"text\":\"What is the capital?\"},"
      + "\"responseMessage\":{\"messageId\":\"msg-ai-1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"endpoint\":\"openAI\","
      + "\"text\":\"Paris.\",\"promptTokens\":21,\"tokenCount\":3}}";
  static final String STREAM = frame("{\"created\":true,\"message\":{\"messageId\":\"msg-user-1\"},\"streamId\":\""
      + CONV + "\"}")
      + frame("{\"event\":\"on_run_step\",\"data\":{\"id\":\"step-1\",\"stepDetails\":{\"type\":\"message_creation\"}}}")
      + frame("{\"event\":\"on_message_delta\",\"data\":{\"id\":\"step-1\",\"delta\":{\"content\":[{\"type\":\"text\","
          + "\"text\":\"Par\"}]}}}")
      + frame("{\"event\":\"on_message_delta\",\"data\":{\"id\":\"step-1\",\"delta\":{\"content\":[{\"type\":\"text\","
          + "\"text\":\"is.\"}]}}}")
      + frame("{\"event\":\"on_token_usage\",\"data\":{\"input_tokens\":25,\"output_tokens\":4,\"total_tokens\":29,"
          + "\"input_token_details\":{\"cache_read\":10,\"cache_creation\":0},\"provider\":\"openAI\","
          + "\"model\":\"gpt-4o-mini-2024-07-18\"}}")
      + frame(FINAL);

  static String frame(String data) {
    return "event: message\ndata: " + data + "\n\n";
  }

  static DialectSession open(String method, String path) {
    return new LibreChatDialect().open(request(method, path), DialectContext.defaults());
  }

  static ExchangeRequest request(String method, String path) {
    return new ExchangeRequest(method, "http", "librechat.internal", 3080, path, null, HeaderLookup.NONE);
  }

  static CallFacts run(String method, String path, DialectContext context, String request, int status,
      String contentType, String response, int piece, boolean complete) {
    DialectSession s = new LibreChatDialect().open(request(method, path), context);
    assertNotNull(s, path);
    return SessionRuns.run(s, request, status, contentType, response, piece, complete);
  }

  static CallFacts stream(String body, int piece, boolean complete) {
    return run("GET", "/api/agents/chat/stream/" + CONV, DialectContext.defaults(), "", 200, SSE, body, piece,
        complete);
  }

  @Test
  void routes() {
    assertEquals(Role.OPENS, open("POST", "/api/agents/chat").facts().continuation.role());
    assertEquals(Role.OPENS, open("POST", "/api/agents/chat/anthropic/").facts().continuation.role());
    assertEquals(Role.CONTINUES, open("GET", "/api/agents/chat/stream/abc").facts().continuation.role());
    assertEquals("abc", open("GET", "/api/agents/chat/stream/abc").facts().continuation.key());
    assertEquals("c1", open("GET", "/api/agents/chat/status/c1").facts().continuation.key());
    assertEquals(Role.CONTINUES, open("POST", "/api/agents/chat/abort").facts().continuation.role());
    assertNull(open("POST", "/api/agents/chat/abort").facts().continuation.key(), "the key is in the body");
    for (String[] no : new String[][] {{"POST", "/api/auth/login"}, {"POST", "/api/auth/refresh"},
        {"GET", "/api/agents/chat"}, {"POST", "/api/agents/chat/stream/abc"}, {"GET", "/api/agents/chat/stream/"},
        {"GET", "/api/agents/chat/status/a/b"}, {"POST", "/api/agents/chat/a/b"}, {"POST", "/api/agents/chatter"},
        {"POST", "/api/agents/chat/stream"}, {"POST", "/api/agents/chat/status"},
        {"POST", "/api/agents/v1/chat/completions"}, {"POST", "/api/agents/v1/responses"},
        {"GET", "/api/convos"}, {"POST", "/v1/chat/completions"}}) {
      assertNull(open(no[0], no[1]), no[0] + " " + no[1]);
    }
    assertEquals(Dialect.SPECIFIC, new LibreChatDialect().precedence());
  }

  @Test
  void openAiCompatibleRoutesAreTheOpenAiDialects() {
    DialectContext c = DialectContext.defaults();
    DialectSession chat = new OpenAiDialect().open(request("POST", "/api/agents/v1/chat/completions"), c);
    assertNotNull(chat);
    assertEquals("chat", chat.facts().request.operationName);
    assertNotNull(new OpenAiResponsesDialect().open(request("POST", "/api/agents/v1/responses"), c));
    assertTrue(new LibreChatDialect().precedence() < new OpenAiDialect().precedence());
  }

  @Test
  void chatPostOpensTheTurn() {
    for (int piece : new int[] {1, 7, Integer.MAX_VALUE}) {
      CallFacts f = run("POST", "/api/agents/chat", DialectContext.defaults(), CHAT_BODY, 200, JSON, STARTED, piece,
          true);
      assertEquals("chat", f.request.operationName);
      assertEquals("openai", f.request.providerName);
      assertEquals("gpt-4o-mini", f.request.model);
      assertEquals(List.of(CONV), f.continuation.keys(), "stream id == conversation id: one key");
      assertFalse(f.continuation.ends());
      assertNull(f.response.errorType);
      assertEquals("openAI", f.response.extra().get("librechat.endpoint"));
      assertEquals(CONV, f.response.extra().get("librechat.conversation_id"));
      assertEquals(CONV, f.response.extra().get("gen_ai.conversation.id"));
      assertEquals("msg-user-1", f.response.extra().get("librechat.request_message_id"));
      assertEquals(false, f.response.extra().get("librechat.completed"));
      assertNull(f.request.inputMessagesJson, "no content without capture");
    }
  }

  @Test
  void endpointInThePathAndProviders() {
    CallFacts f = run("POST", "/api/agents/chat/anthropic", DialectContext.defaults(),
        "{\"text\":\"hi\",\"model\":\"claude-sonnet-4-5\",\"conversationId\":\"c-old\"}", 200, JSON,
        "{\"streamId\":\"s-9\",\"conversationId\":\"c-old\",\"status\":\"started\"}", 5, true);
    assertEquals("anthropic", f.request.providerName);
    assertEquals(List.of("s-9", "c-old"), f.continuation.keys());
    assertEquals("c-old", f.response.extra().get("gen_ai.conversation.id"));
    assertEquals("librechat", run("POST", "/api/agents/chat", DialectContext.defaults(),
        "{\"endpoint\":\"agents\",\"agent_id\":\"agent_x\"}", 200, JSON, STARTED, 9, true).request.providerName);
    assertEquals("gcp.gemini", Endpoints.provider("google"));
    assertEquals("azure.ai.openai", Endpoints.provider("azureOpenAI"));
    assertEquals("mistral_ai", Endpoints.provider("Mistral"));
    assertNull(Endpoints.provider("my-custom"));
  }

  @Test
  void questionAndAnswerOnlyWithCapture() {
    DialectContext capture = DialectContext.builder().captureContent(12).build();
    CallFacts post = run("POST", "/api/agents/chat", capture, CHAT_BODY, 200, JSON, STARTED, 3, true);
    assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is the ...[truncated]\"}]}]",
        post.request.inputMessagesJson);
    CallFacts s = run("GET", "/api/agents/chat/stream/" + CONV, capture, "", 200, SSE, STREAM, 4, true);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Paris.\"}],"
        + "\"finish_reason\":\"stop\"}]", s.response.outputMessagesJson);
    assertNull(stream(STREAM, 4, true).response.outputMessagesJson);
  }

  @Test
  void streamToFinal() {
    for (int piece : new int[] {1, 13, Integer.MAX_VALUE}) {
      CallFacts f = stream(STREAM, piece, true);
      assertTrue(f.continuation.ends(), "the final frame ends the turn");
      assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
      assertTrue(f.stream.endMarked());
      assertNull(f.response.errorType);
      assertEquals(2, f.stream.chunkCount, "the deltas are the chunks");
      assertTrue(f.stream.firstChunkNanos > 0);
      assertEquals(25, f.usage.inputTokens, "on_token_usage wins over the final's counts");
      assertEquals(4, f.usage.outputTokens);
      assertEquals(10, f.usage.cacheReadTokens);
      assertEquals("gpt-4o-mini-2024-07-18", f.response.model);
      assertEquals("msg-ai-1", f.response.id);
      assertEquals("msg-ai-1", f.response.extra().get("librechat.response_message_id"));
      assertEquals("msg-user-1", f.response.extra().get("librechat.request_message_id"));
      assertEquals(true, f.response.extra().get("librechat.completed"));
      assertEquals("openai", f.request.providerName);
    }
  }

  @Test
  void usageFromTheFinalFrameWhenNoUsageFrame() {
    CallFacts f = stream(frame("{\"event\":\"on_message_delta\",\"data\":{}}") + frame(FINAL), 2, true);
    assertEquals(21, f.usage.inputTokens);
    assertEquals(3, f.usage.outputTokens);
    assertEquals(1, f.stream.chunkCount);
  }

  @Test
  void framesThatAreNotJsonAreSkipped() {
    String body = ": keep-alive\n\n" + frame("not json at all") + frame("{\"event\":") + "data: [DONE]\n\n"
        + frame("{\"event\":\"on_message_delta\",\"data\":{}}") + "event: message\ndata: \u00ff\u00fe\n\n"
        + frame(FINAL);
    for (int piece : new int[] {1, 5, Integer.MAX_VALUE}) {
      CallFacts f = stream(body, piece, true);
      assertTrue(f.continuation.ends());
      assertNull(f.response.errorType);
      assertEquals(1, f.stream.chunkCount);
      assertEquals("msg-ai-1", f.response.id);
    }
  }

  @Test
  void streamWithoutFinalReadToItsEndIsTruncated() {
    String body = STREAM.substring(0, STREAM.lastIndexOf("event: message"));
    CallFacts f = stream(body, 8, true);
    assertTrue(f.continuation.ends(), "nothing more will come on it");
    assertEquals(StreamOutcome.TRUNCATED, f.stream.outcome);
    assertEquals("stream_truncated", f.response.errorType);
    assertEquals(2, f.stream.chunkCount);
    assertEquals(25, f.usage.inputTokens);
  }

  @Test
  void streamClosedEarlyLeavesTheTurnOpen() {
    String body = STREAM.substring(0, STREAM.lastIndexOf("event: message"));
    CallFacts f = stream(body, 8, false);
    assertFalse(f.continuation.ends(), "the app may resume the stream or poll the status");
    assertEquals(StreamOutcome.ABANDONED, f.stream.outcome);
    assertNull(f.response.errorType);
  }

  @Test
  void truncatedFinalFrameIsNotAFinal() {
    String cut = STREAM.substring(0, STREAM.length() - 40);
    CallFacts f = stream(cut, 6, true);
    assertEquals("stream_truncated", f.response.errorType);
    assertNull(f.response.id);
    // the whole final frame without its blank line still counts
    CallFacts whole = stream(STREAM.substring(0, STREAM.length() - 2), 6, true);
    assertNull(whole.response.errorType);
    assertEquals("msg-ai-1", whole.response.id);
  }

  @Test
  void errorFrameWithStatus200IsAnError() {
    for (String data : new String[] {"Illegal request", "{\"message\":\"Illegal request\"}",
        "{\"text\":\"Illegal request\",\"error\":true}"}) {
      CallFacts f = stream("event: error\ndata: " + data + "\n\n", 3, true);
      assertEquals(1, f.continuation.keys().size());
      assertEquals(200, f.response.httpStatus);
      assertEquals("refused", f.response.errorType, data);
      assertEquals("Illegal request", f.response.errorMessage, data);
      assertTrue(f.continuation.ends());
      assertEquals(false, f.response.extra().get("librechat.completed"));
    }
    CallFacts other = stream(frame("{\"event\":\"on_message_delta\",\"data\":{}}")
        + "event: error\ndata: {\"message\":\"model overloaded\"}\n\n", 4, true);
    assertEquals("stream_error", other.response.errorType);
    assertEquals("model overloaded", other.response.errorMessage);
    assertEquals(1, other.stream.chunkCount);
    // an error frame too large to read is still an error that ends the turn
    CallFacts huge = run("GET", "/api/agents/chat/stream/x", DialectContext.builder().maxEventBytes(64).build(), "",
        200, SSE, "event: error\ndata: {\"message\":\"" + "x".repeat(500) + "\"}\n\n", 7, true);
    assertEquals("stream_error", huge.response.errorType);
    assertTrue(huge.continuation.ends());
    // the chat POST itself refused with an SSE error frame: the turn never opens
    CallFacts post = run("POST", "/api/agents/chat", DialectContext.defaults(), CHAT_BODY, 200, SSE,
        "event: error\ndata: Illegal request\n\n", 2, true);
    assertEquals("refused", post.response.errorType);
    assertTrue(post.continuation.ends());
  }

  @Test
  void errorStatuses() {
    CallFacts post = run("POST", "/api/agents/chat", DialectContext.defaults(), CHAT_BODY, 401, JSON,
        "{\"message\":\"Unauthorized\"}", 3, true);
    assertEquals("401", post.response.errorType);
    assertEquals("Unauthorized", post.response.errorMessage);
    assertTrue(post.continuation.keys().isEmpty());
    CallFacts gone = run("GET", "/api/agents/chat/stream/x", DialectContext.defaults(), "", 404, JSON,
        "{\"error\":\"Stream not found\"}", 3, true);
    assertTrue(gone.continuation.ends());
    assertEquals("404", gone.response.errorType);
    assertEquals("Stream not found", gone.response.errorMessage);
    CallFacts poll = run("GET", "/api/agents/chat/status/x", DialectContext.defaults(), "", 500, JSON, "oops", 3,
        true);
    assertFalse(poll.continuation.ends(), "a failed poll is followed by another");
  }

  @Test
  void statusPolls() {
    CallFacts active = run("GET", "/api/agents/chat/status/" + CONV, DialectContext.defaults(), "", 200, JSON,
        "{\"active\":true,\"streamId\":\"" + CONV + "\",\"status\":\"running\"}", 4, true);
    assertFalse(active.continuation.ends());
    assertNull(active.response.errorType);
    CallFacts done = run("GET", "/api/agents/chat/status/" + CONV, DialectContext.defaults(), "", 200, JSON,
        "{\"active\":false,\"streamId\":\"" + CONV + "\",\"status\":\"complete\"}", 4, true);
    assertTrue(done.continuation.ends());
    assertEquals(true, done.response.extra().get("librechat.completed"));
    assertNull(done.response.errorType);
    CallFacts aborted = run("GET", "/api/agents/chat/status/" + CONV, DialectContext.defaults(), "", 200, JSON,
        "{\"active\":false,\"status\":\"aborted\"}", 4, true);
    assertEquals("aborted", aborted.response.errorType);
    CallFacts truncated = run("GET", "/api/agents/chat/status/" + CONV, DialectContext.defaults(), "", 200, JSON,
        "{\"active\":fal", 4, true);
    assertFalse(truncated.continuation.ends(), "a cut document says nothing");
  }

  @Test
  void abortEndsTheTurnAsAnError() {
    CallFacts f = run("POST", "/api/agents/chat/abort", DialectContext.defaults(), "{\"streamId\":\"s-1\","
        + "\"conversationId\":\"c-1\"}", 200, JSON, "{\"success\":true}", 3, true);
    assertEquals(List.of("s-1", "c-1"), f.continuation.keys());
    assertTrue(f.continuation.ends());
    assertEquals("aborted", f.response.errorType);
    CallFacts failed = run("POST", "/api/agents/chat/abort", DialectContext.defaults(), "{\"conversationId\":\"c-1\"}",
        404, JSON, "{}", 3, true);
    assertFalse(failed.continuation.ends());
  }
}
