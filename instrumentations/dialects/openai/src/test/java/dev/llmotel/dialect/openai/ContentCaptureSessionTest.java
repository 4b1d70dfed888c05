package dev.llmotel.dialect.openai;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import org.junit.jupiter.api.Test;

/** Prompts and completions are collected only when capture is on, and then in the conventions' shapes. */
class ContentCaptureSessionTest {
  private static DialectSession open(boolean capture, int maxChars) {
    DialectContext ctx = capture ? DialectContext.builder().captureContent(maxChars).build()
        : DialectContext.defaults();
    return new OpenAiDialect().open(new ExchangeRequest("POST", "https", "api.openai.com", -1,
        OpenAiSessionTest.CHAT, null, HeaderLookup.NONE), ctx);
  }

  @Test
  void offByDefaultNoTextIsKept() {
    for (String contentType : new String[] {Calls.JSON, Calls.SSE}) {
      String body = contentType.equals(Calls.JSON) ? OpenAiSessionTest.CHAT_RESPONSE : OpenAiSessionTest.STREAM_WITH_USAGE;
      CallFacts f = Calls.run(open(false, 0), OpenAiSessionTest.CHAT_REQUEST, 200, contentType, body, 13, true);
      assertNull(f.request.inputMessagesJson);
      assertNull(f.response.outputMessagesJson);
      assertNull(f.request.toolDefinitionsJson);
      assertNull(f.request.systemInstructionsJson);
    }
  }

  @Test
  void nonStreamedCallGivesInputOutputAndTools() {
    CallFacts f = Calls.run(open(true, 1000), OpenAiSessionTest.CHAT_REQUEST, 200, Calls.JSON,
        OpenAiSessionTest.CHAT_RESPONSE, 7, true);
    assertEquals("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello \u4e16\u754c\"}]}]", f.request.inputMessagesJson);
    assertEquals("[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{}}]", f.request.toolDefinitionsJson);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"{\\\"a\\\":\\\"Hi\\\"}\"}],"
        + "\"finish_reason\":\"stop\"}]", f.response.outputMessagesJson);
    assertEquals(2006, f.usage.inputTokens, "the usual facts are still there");
  }

  @Test
  void streamedCompletionIsAssembledFromDeltasFedByteByByte() {
    CallFacts f = Calls.run(open(true, 1000), OpenAiSessionTest.STREAM_REQUEST, 200, Calls.SSE,
        OpenAiSessionTest.STREAM_WITH_USAGE, 1, true);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello w\u00f6rld \uD83D\uDE00\"}],"
        + "\"finish_reason\":\"stop\"}]", f.response.outputMessagesJson);
    assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]", f.request.inputMessagesJson);
    assertEquals(9, f.usage.inputTokens);
  }

  @Test
  void textIsCutAtTheLimit() {
    CallFacts f = Calls.run(open(true, 4), OpenAiSessionTest.STREAM_REQUEST, 200, Calls.SSE,
        OpenAiSessionTest.STREAM_WITH_USAGE, 64, true);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hell...[truncated]\"}],"
        + "\"finish_reason\":\"stop\"}]", f.response.outputMessagesJson);
  }
}
