package dev.llmotel.dialect.openai;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.GenAiFacts;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import org.junit.jupiter.api.Test;

/** Prompts and completions are collected only when capture is on, and then in the conventions' shapes. */
class ContentCaptureSessionTest {
  private static DialectSession open(boolean capture, int maxChars) {
    DialectContext ctx = new DialectContext(1 << 20, 64L << 20, 64 * 1024, capture, maxChars);
    return new OpenAiDialect().open(new ExchangeRequest("POST", "https", "api.openai.com", -1,
        OpenAiSessionTest.CHAT, null, HeaderLookup.NONE), ctx);
  }

  @Test
  void offByDefaultNoTextIsKept() {
    for (String contentType : new String[] {Calls.JSON, Calls.SSE}) {
      String body = contentType.equals(Calls.JSON) ? OpenAiSessionTest.CHAT_RESPONSE : OpenAiSessionTest.STREAM_WITH_USAGE;
      GenAiFacts f = Calls.run(open(false, 0), OpenAiSessionTest.CHAT_REQUEST, 200, contentType, body, 13, true);
      assertNull(f.inputMessagesJson);
      assertNull(f.outputMessagesJson);
      assertNull(f.toolDefinitionsJson);
      assertNull(f.systemInstructionsJson);
    }
  }

  @Test
  void nonStreamedCallGivesInputOutputAndTools() {
    GenAiFacts f = Calls.run(open(true, 1000), OpenAiSessionTest.CHAT_REQUEST, 200, Calls.JSON,
        OpenAiSessionTest.CHAT_RESPONSE, 7, true);
    assertEquals("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello \u4e16\u754c\"}]}]", f.inputMessagesJson);
    assertEquals("[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{}}]", f.toolDefinitionsJson);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"{\\\"a\\\":\\\"Hi\\\"}\"}],"
        + "\"finish_reason\":\"stop\"}]", f.outputMessagesJson);
    assertEquals(2006, f.inputTokens, "the usual facts are still there");
  }

  @Test
  void streamedCompletionIsAssembledFromDeltasFedByteByByte() {
    GenAiFacts f = Calls.run(open(true, 1000), OpenAiSessionTest.STREAM_REQUEST, 200, Calls.SSE,
        OpenAiSessionTest.STREAM_WITH_USAGE, 1, true);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello w\u00f6rld \uD83D\uDE00\"}],"
        + "\"finish_reason\":\"stop\"}]", f.outputMessagesJson);
    assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]", f.inputMessagesJson);
    assertEquals(9, f.inputTokens);
  }

  @Test
  void textIsCutAtTheLimit() {
    GenAiFacts f = Calls.run(open(true, 4), OpenAiSessionTest.STREAM_REQUEST, 200, Calls.SSE,
        OpenAiSessionTest.STREAM_WITH_USAGE, 64, true);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hell...[truncated]\"}],"
        + "\"finish_reason\":\"stop\"}]", f.outputMessagesJson);
  }
}
