package dev.llmotel.dialect.openairesponses;

import static dev.llmotel.dialect.openairesponses.Calls.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.exchange.StreamOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the recordings do not show: other servers' streams, limits, error shapes and statuses. */
class ResponsesSessionTest {
  static final String STREAM_REQUEST = "{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\",\"stream\":true}";

  static String response(String status, String output, String usage, String extra) {
    return "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741476542,\"status\":\"" + status + "\","
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"output\":" + output + ",\"usage\":" + usage
        + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  static final String USAGE = "{\"input_tokens\":9,\"input_tokens_details\":{\"cached_tokens\":0},"
      + "\"output_tokens\":3,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":12}";
  static final String MESSAGE = "[{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
      + "\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"text\":\"Hello there!\"}]}]";

  static String delta(int seq, String text) {
    return event("{\"type\":\"response.output_text.delta\",\"sequence_number\":" + seq + ",\"item_id\":\"msg_1\","
        + "\"output_index\":0,\"content_index\":0,\"delta\":\"" + text + "\"}");
  }

  static final String STREAM = event("{\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
      + response("in_progress", "[]", "null", "") + "}")
      + event("{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":"
      + "\"msg_1\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}")
      + delta(2, "Hello") + ": keep-alive\n\n" + delta(3, " there") + delta(4, "!")
      + event("{\"type\":\"response.completed\",\"sequence_number\":5,\"response\":"
      + response("completed", MESSAGE, USAGE, "") + "}");

  private static void assertCompletedStream(CallFacts f, String what) {
    assertEquals(StreamOutcome.COMPLETED, f.stream.outcome, what);
    assertEquals(3, f.stream.chunkCount, what);
    assertEquals("resp_1", f.response.id, what);
    assertEquals("gpt-4o-mini-2024-07-18", f.response.model, what);
    assertEquals(List.of("stop"), f.response.finishReasons, what);
    assertEquals(9, f.usage.inputTokens, what);
    assertEquals(3, f.usage.outputTokens, what);
    assertNull(f.response.errorType, what);
  }

  @Test
  void namedEventsFedWholeByteByByteAndWithCrLf() {
    assertCompletedStream(Calls.run(STREAM_REQUEST, 200, Calls.SSE, STREAM, 1 << 20, true), "whole");
    assertCompletedStream(Calls.run(STREAM_REQUEST, 200, Calls.SSE, STREAM, 1, true), "byte by byte");
    assertCompletedStream(Calls.run(STREAM_REQUEST, 200, Calls.SSE, STREAM.replace("\n", "\r\n"), 7, true), "CRLF");
  }

  @Test
  void serversThatSendNoEventNamesAreReadByTheDataType() {
    String dataOnly = STREAM.replaceAll("event: [^\n]*\n", "");
    assertTrue(!dataOnly.contains("event:"));
    assertCompletedStream(Calls.run(STREAM_REQUEST, 200, Calls.SSE, dataOnly, 5, true), "data only");
    // and past the parse limit, deltas are still recognised and counted, the end still read
    DialectContext tiny = DialectContext.builder().maxParsedBytes(10).build();
    assertCompletedStream(Calls.run(Calls.open(tiny), STREAM_REQUEST, 200, Calls.SSE, dataOnly, 64, true),
        "data only past the limit");
  }

  @Test
  void pastTheParseLimitDeltasAreCountedAndTheEndIsStillRead() {
    DialectContext tiny = DialectContext.builder().maxParsedBytes(10).build();
    assertCompletedStream(Calls.run(Calls.open(tiny), STREAM_REQUEST, 200, Calls.SSE, STREAM, 64, true), "tiny limit");
  }

  @Test
  void aProxysDoneMarkerEndsTheStreamToo() {
    String withDone = STREAM + "data: [DONE]\n\n";
    assertCompletedStream(Calls.run(STREAM_REQUEST, 200, Calls.SSE, withDone, 11, true), "[DONE] after the end");
    String onlyDone = STREAM.substring(0, STREAM.indexOf("event: response.completed")) + "data: [DONE]\n\n";
    CallFacts f = Calls.run(STREAM_REQUEST, 200, Calls.SSE, onlyDone, 11, true);
    assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
    assertEquals(-1, f.usage.inputTokens, "no usage without the final response");
  }

  @Test
  void aFinalEventWithoutItsBlankLineStillEndsTheStream() {
    String unterminated = STREAM.substring(0, STREAM.length() - 2);
    assertCompletedStream(Calls.run(STREAM_REQUEST, 200, Calls.SSE, unterminated, 13, true), "no blank line");
    String cut = STREAM.substring(0, STREAM.length() - 10);
    CallFacts f = Calls.run(STREAM_REQUEST, 200, Calls.SSE, cut, 13, true);
    assertEquals(StreamOutcome.TRUNCATED, f.stream.outcome, "a final event cut short is no end");
    assertEquals("stream_truncated", f.response.errorType);
  }

  @Test
  void aFinalResponseTooLargeToReadStillEndsTheStream() {
    DialectContext small = DialectContext.builder().maxEventBytes(400).build();
    CallFacts f = Calls.run(Calls.open(small), STREAM_REQUEST, 200, Calls.SSE, STREAM, 32, true);
    assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
    assertEquals(3, f.stream.chunkCount);
    assertEquals(-1, f.usage.inputTokens, "the usage was in the event too large to read");
    assertNull(f.response.errorType);
  }

  @Test
  void errorEventInTheNestedShapeAndFollowedByResponseFailed() {
    String nested = STREAM.substring(0, STREAM.indexOf("event: response.completed"))
        + event("{\"type\":\"error\",\"sequence_number\":5,\"error\":{\"type\":\"invalid_request_error\","
        + "\"code\":\"context_length_exceeded\",\"message\":\"Your input exceeds the context window.\",\"param\":\"input\"}}");
    CallFacts f = Calls.run(STREAM_REQUEST, 200, Calls.SSE, nested, 9, true);
    assertEquals("context_length_exceeded", f.response.errorType);
    assertEquals("Your input exceeds the context window.", f.response.errorMessage);
    assertEquals(StreamOutcome.TRUNCATED, f.stream.outcome);

    String noCode = STREAM.substring(0, STREAM.indexOf("event: response.completed"))
        + event("{\"type\":\"error\",\"sequence_number\":5,\"message\":\"Something went wrong\",\"param\":null}")
        + event("{\"type\":\"response.failed\",\"sequence_number\":6,\"response\":" + response("failed", "[]", "null",
        "\"error\":{\"code\":\"server_error\",\"message\":\"The server had an error.\"}") + "}");
    CallFacts g = Calls.run(STREAM_REQUEST, 200, Calls.SSE, noCode, 9, true);
    assertEquals("server_error", g.response.errorType, "response.failed has the last word");
    assertEquals("The server had an error.", g.response.errorMessage);
    assertEquals(StreamOutcome.COMPLETED, g.stream.outcome);
    assertEquals(List.of("error"), g.response.finishReasons);

    CallFacts h = Calls.run(STREAM_REQUEST, 200, Calls.SSE,
        event("{\"type\":\"error\",\"sequence_number\":0,\"message\":\"Something went wrong\"}"), 9, true);
    assertEquals("stream_error", h.response.errorType);
  }

  @Test
  void finishReasonsByStatusAndOutput() {
    String call = "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"{}\"}";
    String custom = "{\"type\":\"custom_tool_call\",\"call_id\":\"call_2\",\"name\":\"sql\",\"input\":\"SELECT 1\"}";
    String search = "{\"type\":\"web_search_call\",\"id\":\"ws_1\",\"status\":\"completed\","
        + "\"action\":{\"type\":\"search\",\"query\":\"weather\",\"sources\":[{\"type\":\"url\",\"url\":\"https://x\"}]}}";
    String message = MESSAGE.substring(1, MESSAGE.length() - 1);
    assertEquals(List.of("tool_call"), finish(response("completed", "[" + message + "," + call + "]", USAGE, "")));
    assertEquals(List.of("tool_call"), finish(response("completed", "[" + custom + "]", USAGE, "")));
    assertEquals(List.of("stop"), finish(response("completed", "[" + search + "," + message + "]", USAGE, "")),
        "a built-in tool the server ran itself is no call for the application");
    assertEquals(List.of("content_filter"), finish(response("incomplete", MESSAGE, USAGE,
        "\"incomplete_details\":{\"reason\":\"content_filter\"}")));
    assertEquals(List.of("incomplete"), finish(response("incomplete", MESSAGE, USAGE, "\"incomplete_details\":null")));
    assertEquals(List.of(), finish(response("queued", "[]", "null", "\"background\":true")), "a background response");

    CallFacts failed = Calls.run("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}", 200, Calls.JSON,
        response("failed", "[]", "null", "\"error\":{\"message\":\"boom\"}"), 100, true);
    assertEquals("response_failed", failed.response.errorType, "failed without a code");
    assertEquals("boom", failed.response.errorMessage);
    assertEquals(List.of("error"), failed.response.finishReasons);
  }

  private static List<String> finish(String body) {
    CallFacts f = Calls.run("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}", 200, Calls.JSON, body, 17, true);
    assertNull(f.response.errorType, body);
    return f.response.finishReasons;
  }

  @Test
  void errorBodies() {
    String request = "{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}";
    CallFacts server = Calls.run(request, 500, Calls.JSON, "{\"error\":{\"message\":\"The server had an error while"
        + " processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}", 10, true);
    assertEquals("server_error", server.response.errorType, "no code: the type");
    CallFacts notFound = Calls.run(request, 400, Calls.JSON, "{\"error\":{\"message\":\"Previous response with id"
        + " 'resp_x' not found.\",\"type\":\"invalid_request_error\",\"param\":\"previous_response_id\","
        + "\"code\":\"previous_response_not_found\"}}", 10, true);
    assertEquals("previous_response_not_found", notFound.response.errorType);
    assertEquals("Previous response with id 'resp_x' not found.", notFound.response.errorMessage);
    CallFacts html = Calls.run(request, 503, "text/html", "<html>Service Unavailable</html>", 10, true);
    assertEquals("503", html.response.errorType);
    assertNull(html.response.errorMessage);
    CallFacts detail = Calls.run(request, 422, Calls.JSON, "{\"detail\":\"Field required\"}", 10, true);
    assertEquals("422", detail.response.errorType);
    assertEquals("Field required", detail.response.errorMessage);
    CallFacts longMessage = Calls.run(request, 400, Calls.JSON,
        "{\"error\":{\"message\":\"" + "m".repeat(5000) + "\",\"type\":\"invalid_request_error\"}}", 100, true);
    assertEquals(500, longMessage.response.errorMessage.length());
  }

  @Test
  void requestParameters() {
    CallFacts f = Calls.run("{\"model\":\"gpt-4.1\",\"input\":[],\"temperature\":1,\"top_p\":0.5,"
        + "\"max_output_tokens\":0,\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"r\",\"schema\":{\"type\":"
        + "\"object\"},\"strict\":true}},\"service_tier\":\"priority\",\"previous_response_id\":\"resp_0\"}",
        200, Calls.JSON, "{}", 3, true);
    assertEquals("gpt-4.1", f.request.model);
    assertEquals(1.0, f.request.temperature);
    assertEquals(0.5, f.request.topP);
    assertEquals(0L, f.request.maxTokens);
    assertEquals("json", f.request.outputType);
    assertEquals("priority", f.response.extra().get("openai.request.service_tier"));
    assertEquals(false, f.stream.streamed);

    CallFacts plain = Calls.run("{\"model\":\"m\",\"input\":\"x\",\"stream\":false}", 200, Calls.JSON, "{}", 3, true);
    assertNull(plain.request.temperature);
    assertNull(plain.request.maxTokens);
    assertNull(plain.request.outputType);
    assertEquals(1, plain.response.extra().size(), "only openai.api.type");
  }

  @Test
  void malformedBodiesLeaveTheFactsPartlyFilled() {
    String body = response("completed", MESSAGE, USAGE, "");
    CallFacts cut = Calls.run(STREAM_REQUEST.replace(",\"stream\":true", ""), 200, Calls.JSON,
        body.substring(0, body.indexOf("\"usage\"")), 10, true);
    assertEquals("resp_1", cut.response.id);
    assertEquals(List.of("stop"), cut.response.finishReasons);
    assertEquals(-1, cut.usage.inputTokens);

    CallFacts garbage = Calls.run("{{{not json", 200, Calls.JSON, "}}}{{", 2, true);
    assertNull(garbage.request.model);
    assertNull(garbage.response.id);

    CallFacts badStream = Calls.run(STREAM_REQUEST, 200, Calls.SSE,
        "event: response.created\ndata: {oops\n\ndata: \u00ff\u00fe\n\n" + STREAM, 3, true);
    assertCompletedStream(badStream, "garbage events before a good stream");
  }
}
