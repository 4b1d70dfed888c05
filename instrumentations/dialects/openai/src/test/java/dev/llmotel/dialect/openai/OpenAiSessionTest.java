package dev.llmotel.dialect.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.dialect.DialectCall;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.StreamOutcome;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiSessionTest {
  static final String CHAT = "/v1/chat/completions";

  static final String CHAT_REQUEST = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
      + "{\"role\":\"user\",\"content\":\"Hello \u4e16\u754c\"}],\"temperature\":0.7,\"top_p\":0.9,"
      + "\"max_completion_tokens\":256,\"n\":1,\"seed\":42,\"stop\":[\"END\",\"\\n\\n\"],\"frequency_penalty\":0.5,"
      + "\"presence_penalty\":-0.25,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\","
      + "\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}}},\"service_tier\":\"auto\","
      + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{}}}]}";

  static final String CHAT_RESPONSE = "{\n  \"id\": \"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\n"
      + "  \"object\": \"chat.completion\",\n  \"created\": 1741569952,\n  \"model\": \"gpt-4o-2024-08-06\",\n"
      + "  \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"{\\\"a\\\":\\\"Hi\\\"}\","
      + " \"refusal\": null, \"annotations\": []}, \"logprobs\": null, \"finish_reason\": \"stop\"}],\n"
      + "  \"usage\": {\"prompt_tokens\": 2006, \"completion_tokens\": 300, \"total_tokens\": 2306,"
      + " \"prompt_tokens_details\": {\"cached_tokens\": 1920, \"audio_tokens\": 0},"
      + " \"completion_tokens_details\": {\"reasoning_tokens\": 128, \"audio_tokens\": 0,"
      + " \"accepted_prediction_tokens\": 0, \"rejected_prediction_tokens\": 0}},\n"
      + "  \"service_tier\": \"default\",\n  \"system_fingerprint\": \"fp_fc9f1d7035\"\n}";

  static String chunk(String choices, String usage) {
    return "data: {\"id\":\"chatcmpl-77\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\","
        + "\"choices\":" + choices + (usage == null ? "" : ",\"usage\":" + usage) + "}\n\n";
  }

  static String delta(String content, String finish) {
    return "[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"logprobs\":null,\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"") + "}]";
  }

  static final String STREAM_REQUEST = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
      + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  static final String STREAM_WITH_USAGE =
      chunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,"
          + "\"finish_reason\":null}]", "null")
      + chunk(delta("Hello", null), "null")
      + ": keep-alive\n\n"
      + chunk(delta(" w\u00f6rld \uD83D\uDE00", null), "null")
      + chunk("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]", "null")
      + chunk("[]", "{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}}")
      + "data: [DONE]\n\n";

  @Test
  void nonStreamChatWithCachedAndReasoningUsage() {
    for (int piece : new int[] {1, 7, 1 << 20}) {
      CallFacts f = Calls.run(CHAT, CHAT_REQUEST, 200, Calls.JSON, CHAT_RESPONSE, piece, true);
      assertEquals("chat", f.request.operationName);
      assertEquals("openai", f.request.providerName);
      assertEquals("gpt-4o", f.request.model);
      assertEquals(0.7, f.request.temperature);
      assertEquals(0.9, f.request.topP);
      assertEquals(256L, f.request.maxTokens);
      assertEquals(1L, f.request.choiceCount);
      assertEquals(42L, f.request.seed);
      assertEquals(List.of("END", "\n\n"), f.request.stopSequences);
      assertEquals(0.5, f.request.frequencyPenalty);
      assertEquals(-0.25, f.request.presencePenalty);
      assertEquals("json", f.request.outputType);
      assertEquals("auto", f.response.extra().get("openai.request.service_tier"));
      assertFalse(f.stream.streamed);

      assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", f.response.id);
      assertEquals("gpt-4o-2024-08-06", f.response.model);
      assertEquals(List.of("stop"), f.response.finishReasons);
      assertEquals(2006, f.usage.inputTokens);
      assertEquals(300, f.usage.outputTokens);
      assertEquals(1920, f.usage.cacheReadTokens);
      assertEquals(128, f.usage.reasoningTokens);
      assertEquals(-1, f.usage.cacheCreationTokens);
      assertEquals("default", f.response.extra().get("openai.response.service_tier"));
      assertEquals("fp_fc9f1d7035", f.response.extra().get("openai.response.system_fingerprint"));
      assertNull(f.response.errorType);
      assertEquals(200, f.response.httpStatus);
      assertNull(f.stream.outcome);
      assertEquals(0, f.stream.chunkCount);
    }
  }

  @Test
  void requestVariants() {
    CallFacts f = Calls.run(CHAT, "{\"model\":\"m\",\"max_tokens\":10,\"stop\":\"###\",\"n\":3,"
        + "\"response_format\":{\"type\":\"text\"},\"temperature\":1}", 200, Calls.JSON, "{}", 3, true);
    assertEquals(10L, f.request.maxTokens);
    assertEquals(List.of("###"), f.request.stopSequences);
    assertEquals(3L, f.request.choiceCount);
    assertEquals("text", f.request.outputType);
    assertEquals(1.0, f.request.temperature);
    assertNull(f.request.topP);
    assertNull(f.request.seed);

    CallFacts plain = Calls.run(CHAT, "{\"model\":\"m\",\"messages\":[]}", 200, Calls.JSON, "{}", 100, true);
    assertNull(plain.request.outputType);
    assertNull(plain.request.maxTokens);
    assertNull(plain.request.stopSequences);
    assertNull(plain.request.choiceCount);
    assertTrue(plain.response.extra().isEmpty());
  }

  @Test
  void streamWithIncludeUsage() {
    CallFacts f = Calls.run(CHAT, STREAM_REQUEST, 200, Calls.SSE, STREAM_WITH_USAGE, 8192, true);
    assertTrue(f.stream.streamed);
    assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
    assertEquals(4, f.stream.chunkCount, "chunks with choices; the usage chunk and keep-alive do not count");
    assertTrue(f.stream.firstChunkNanos > 0 && f.stream.lastChunkNanos >= f.stream.firstChunkNanos);
    assertEquals("chatcmpl-77", f.response.id);
    assertEquals("gpt-4o-mini-2024-07-18", f.response.model);
    assertEquals("gpt-4o-mini", f.request.model);
    assertEquals(List.of("stop"), f.response.finishReasons);
    assertEquals(9, f.usage.inputTokens);
    assertEquals(3, f.usage.outputTokens);
    assertEquals(0, f.usage.cacheReadTokens);
    assertEquals(0, f.usage.reasoningTokens);
    assertEquals("default", f.response.extra().get("openai.response.service_tier"));
    assertEquals("fp_06737a9306", f.response.extra().get("openai.response.system_fingerprint"));
    assertNull(f.response.errorType);
  }

  @Test
  void doneMarksTheStreamCompletedAsSoonAsItArrives() {
    DialectCall call = new DialectCall(Calls.open("api.openai.com", 443, CHAT));
    call.response(200, name -> name.equalsIgnoreCase("content-type") ? Calls.SSE : null);
    byte[] body = (chunk(delta("x", "stop"), null) + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
    assertTrue(call.responseBody(0, body, 0, body.length), "[DONE] ends the call");
    assertEquals(StreamOutcome.COMPLETED, call.facts().stream.outcome);
    call.responseEnd(false); // closing after [DONE] is not abandoning
    assertEquals(StreamOutcome.COMPLETED, call.facts().stream.outcome);
  }

  @Test
  void doneWithoutTrailingBlankLineStillCompletes() {
    String stream = chunk(delta("Hi", null), null) + "data: [DONE]";
    CallFacts f = Calls.run(CHAT, STREAM_REQUEST, 200, Calls.SSE, stream, 4, true);
    assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
    assertNull(f.response.errorType);
  }

  @Test
  void aFinishReasonWithoutDoneCountsAsCompleted() {
    // some compatible servers end the stream without [DONE]
    String noDone = chunk(delta("Hi", null), null) + chunk(delta("", "stop"), null);
    CallFacts g = Calls.run(CHAT, STREAM_REQUEST, 200, Calls.SSE, noDone, 5, true);
    assertEquals(StreamOutcome.COMPLETED, g.stream.outcome);
    assertNull(g.response.errorType);
  }

  @Test
  void severalChoicesKeepFinishReasonsInIndexOrder() {
    String response = "{\"id\":\"c\",\"model\":\"m\",\"choices\":["
        + "{\"index\":2,\"message\":{\"content\":\"c\"},\"finish_reason\":\"length\"},"
        + "{\"index\":0,\"message\":{\"content\":\"a\"},\"finish_reason\":\"stop\"},"
        + "{\"index\":1,\"message\":{\"content\":null,\"tool_calls\":[{\"id\":\"t\"}]},\"finish_reason\":\"tool_calls\"}"
        + "],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}";
    CallFacts f = Calls.run(CHAT, "{\"model\":\"m\",\"n\":3}", 200, Calls.JSON, response, 9, true);
    assertEquals(List.of("stop", "tool_calls", "length"), f.response.finishReasons);
    assertEquals(3L, f.request.choiceCount);

    String stream = "data: {\"id\":\"c\",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"b\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"choices\":[{\"index\":1,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n"
        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
        + "data: [DONE]\n\n";
    CallFacts s = Calls.run(CHAT, "{\"model\":\"m\",\"n\":2,\"stream\":true}", 200, Calls.SSE, stream, 1, true);
    assertEquals(List.of("stop", "length"), s.response.finishReasons);
    assertEquals(4, s.stream.chunkCount);
  }

  @Test
  void embeddingsAsFloats() {
    StringBuilder vector = new StringBuilder();
    for (int i = 0; i < 3072; i++) vector.append(i == 0 ? "" : ",").append(-0.0028842222 + i * 1e-6);
    String response = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[" + vector
        + "]},{\"object\":\"embedding\",\"index\":1,\"embedding\":[" + vector + "]}],"
        + "\"model\":\"text-embedding-3-large\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}";
    String request = "{\"model\":\"text-embedding-3-large\",\"input\":[\"The food was delicious\",\"and\"],"
        + "\"encoding_format\":\"float\"}";
    for (int piece : new int[] {8192, 1 << 22}) {
      CallFacts f = Calls.run("/v1/embeddings", request, 200, Calls.JSON, response, piece, true);
      assertEquals("embeddings", f.request.operationName);
      assertEquals("text-embedding-3-large", f.request.model);
      assertEquals(List.of("float"), f.request.encodingFormats);
      assertEquals("text-embedding-3-large", f.response.model);
      assertEquals(3072, f.response.embeddingDimensions);
      assertEquals(8, f.usage.inputTokens);
      assertEquals(-1, f.usage.outputTokens);
      assertTrue(f.response.finishReasons.isEmpty());
    }
  }

  @Test
  void embeddingsAsBase64() {
    for (int dims : new int[] {1, 2, 3, 5, 256, 1536, 3072}) {
      ByteBuffer floats = ByteBuffer.allocate(dims * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < dims; i++) floats.putFloat(i * 0.001f);
      String b64 = Base64.getEncoder().encodeToString(floats.array());
      String response = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":\"" + b64
          + "\"}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}";
      CallFacts f = Calls.run("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\","
          + "\"encoding_format\":\"base64\"}", 200, Calls.JSON, response, 1000, true);
      assertEquals(dims, f.response.embeddingDimensions, "dims " + dims);
      assertEquals(List.of("base64"), f.request.encodingFormats);
      assertEquals(5, f.usage.inputTokens);
    }
  }

  @Test
  void errorBodies() {
    String server = "{\"error\":{\"message\":\"The server had an error while processing your request. Sorry about"
        + " that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
    CallFacts g = Calls.run(CHAT, CHAT_REQUEST, 500, Calls.JSON, server, 10, true);
    assertEquals("server_error", g.response.errorType);
    assertEquals(500, g.response.httpStatus);

    CallFacts ollama = Calls.run(CHAT, CHAT_REQUEST, 404, Calls.JSON,
        "{\"error\":{\"message\":\"model \\\"x\\\" not found, try pulling it first\",\"type\":\"api_error\","
            + "\"param\":null,\"code\":\"\"}}", 10, true);
    assertEquals("api_error", ollama.response.errorType, "an empty code falls back to the type");

    CallFacts text = Calls.run(CHAT, CHAT_REQUEST, 400, Calls.JSON, "{\"error\":\"bad input\"}", 10, true);
    assertEquals("400", text.response.errorType);
    assertEquals("bad input", text.response.errorMessage);

    CallFacts gemini = Calls.run(CHAT, CHAT_REQUEST, 429, Calls.JSON,
        "[{\"error\":{\"code\":429,\"message\":\"Resource exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}]", 10, true);
    assertEquals("429", gemini.response.errorType);
    assertEquals("Resource exhausted", gemini.response.errorMessage);

    CallFacts detail = Calls.run(CHAT, CHAT_REQUEST, 422, Calls.JSON, "{\"detail\":\"Field required\"}", 10, true);
    assertEquals("422", detail.response.errorType);
    assertEquals("Field required", detail.response.errorMessage);
  }

  @Test
  void longErrorMessagesAreCut() {
    String body = "{\"error\":{\"message\":\"" + "m".repeat(5000) + "\",\"type\":\"invalid_request_error\"}}";
    CallFacts f = Calls.run(CHAT, CHAT_REQUEST, 400, Calls.JSON, body, 100, true);
    assertEquals(500, f.response.errorMessage.length());
    assertEquals("invalid_request_error", f.response.errorType);
  }

  @Test
  void malformedBodiesLeaveTheFactsPartlyFilled() {
    String cut = CHAT_RESPONSE.substring(0, CHAT_RESPONSE.indexOf("\"completion_tokens\""));
    CallFacts f = Calls.run(CHAT, CHAT_REQUEST, 200, Calls.JSON, cut, 10, true);
    assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", f.response.id);
    assertEquals(List.of("stop"), f.response.finishReasons);
    assertEquals(2006, f.usage.inputTokens);
    assertEquals(-1, f.usage.outputTokens);

    CallFacts garbage = Calls.run(CHAT, "{{{not json", 200, Calls.JSON, "}}}{{", 2, true);
    assertNull(garbage.request.model);
    assertNull(garbage.response.id);

    CallFacts badStream = Calls.run(CHAT, STREAM_REQUEST, 200, Calls.SSE,
        "data: {oops\n\ndata: \u00ff\u00fe\n\n" + chunk(delta("x", "stop"), null) + "data: [DONE]\n\n", 3, true);
    assertEquals(StreamOutcome.COMPLETED, badStream.stream.outcome);
    assertEquals(List.of("stop"), badStream.response.finishReasons);
  }

  @Test
  void legacyCompletionsStream() {
    String stream = "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"gpt-3.5-turbo-instruct\","
        + "\"choices\":[{\"text\":\"Hello\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"gpt-3.5-turbo-instruct\","
        + "\"choices\":[{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}]}\n\n"
        + "data: [DONE]\n\n";
    CallFacts f = Calls.run("/v1/completions", "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say\","
        + "\"stream\":true,\"max_tokens\":7}", 200, Calls.SSE, stream, 11, true);
    assertEquals("text_completion", f.request.operationName);
    assertEquals(7L, f.request.maxTokens);
    assertEquals(List.of("length"), f.response.finishReasons);
    assertEquals(2, f.stream.chunkCount);
    assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
  }

  @Test
  void respectsTheContextLimits() {
    // events larger than the context's event limit are skipped; the rest of the stream is still read
    DialectContext small = new DialectContext(256, 1 << 20, 4096);
    DialectSession s = new OpenAiDialect().open(new ExchangeRequest("POST", "https", "api.openai.com", 443, CHAT, null,
        HeaderLookup.NONE), small);
    String big = chunk(delta("x".repeat(1000), null), null);
    String usage = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1}}\n\n";
    Calls.run(s, STREAM_REQUEST, 200, Calls.SSE, big + usage + "data: [DONE]\n\n", 64, true);
    assertEquals(0, s.facts().stream.chunkCount);
    assertEquals(4, s.facts().usage.inputTokens);
    assertEquals(StreamOutcome.COMPLETED, s.facts().stream.outcome);

    // past the parsed-bytes limit, plain content chunks are counted unparsed; usage is still read
    DialectContext tight = new DialectContext(1 << 20, 300, 4096);
    DialectSession t = new OpenAiDialect().open(new ExchangeRequest("POST", "https", "api.openai.com", 443, CHAT, null,
        HeaderLookup.NONE), tight);
    StringBuilder stream = new StringBuilder();
    for (int i = 0; i < 50; i++) stream.append(chunk(delta("tok" + i, null), null));
    stream.append(chunk(delta("", "stop"), null)).append(usage).append("data: [DONE]\n\n");
    Calls.run(t, STREAM_REQUEST, 200, Calls.SSE, stream.toString(), 100, true);
    assertEquals(51, t.facts().stream.chunkCount);
    assertEquals(List.of("stop"), t.facts().response.finishReasons);
    assertEquals(4, t.facts().usage.inputTokens);

    // a JSON body past the limit is read up to it
    DialectSession u = new OpenAiDialect().open(new ExchangeRequest("POST", "https", "api.openai.com", 443, CHAT, null,
        HeaderLookup.NONE), new DialectContext(1 << 20, 200, 4096));
    Calls.run(u, CHAT_REQUEST, 200, Calls.JSON, CHAT_RESPONSE, 50, true);
    assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", u.facts().response.id);
    assertEquals(-1, u.facts().usage.inputTokens);
  }

  @Test
  void oddCallOrdersNeverThrow() {
    DialectSession s = Calls.open("api.openai.com", 443, CHAT);
    byte[] b = "data: {}\n\n".getBytes(StandardCharsets.UTF_8);
    s.onResponseBody(b, 0, b.length); // no onResponse first
    s.onResponseEnd(true);
    s.onResponseEnd(false);
    s.onResponseBody(b, 0, b.length);
    s.onRequestBody(b, 0, b.length);
    s.onRequestBodyEnd();
    s.onResponse(200, null);
    DialectCall noBody = new DialectCall(Calls.open("api.openai.com", 443, CHAT));
    noBody.response(204, HeaderLookup.NONE);
    noBody.responseEnd(true);
    assertNull(noBody.facts().stream.outcome);
  }
}
