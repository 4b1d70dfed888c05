package dev.llmotel.dialect.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.testkit.dialect.SessionRuns;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Invalid UTF-8 inside a string and nesting 10,000 deep cost only themselves: the usage and finish reasons after them
 * still reach the call's facts, in a whole response and in a stream, fed in any piece size.
 */
class OpenAiBadBytesTest {
  static final byte[] BAD = {'H', (byte) 0x80, (byte) 0xC0, (byte) 0xAF, (byte) 0xED, (byte) 0xA0, (byte) 0x80,
      (byte) 0xFF, (byte) 0xC3, '('};

  static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      byte[] b = p instanceof byte[] ? (byte[]) p : ((String) p).getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  static CallFacts run(String request, String contentType, byte[] response, int piece) {
    HeaderLookup headers = name -> name.equalsIgnoreCase("content-type") ? contentType : null;
    return SessionRuns.run(Calls.open("api.openai.com", 443, OpenAiSessionTest.CHAT),
        request.getBytes(StandardCharsets.UTF_8), 200, headers, response, piece, true);
  }

  static byte[] completion(Object content, String beforeUsage) {
    return bytes("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"", content,
        "\"},\"finish_reason\":\"stop\"}]," + beforeUsage + "\"usage\":{\"prompt_tokens\":11,"
        + "\"completion_tokens\":7,\"total_tokens\":18}}");
  }

  static void assertUsage(CallFacts f, String what) {
    assertEquals("gpt-4o-mini-2024-07-18", f.response.model, what);
    assertEquals(List.of("stop"), f.response.finishReasons, what);
    assertEquals(11, f.usage.inputTokens, what);
    assertEquals(7, f.usage.outputTokens, what);
  }

  @Test
  void invalidUtf8InTheContentKeepsTheUsageAfterIt() {
    for (int piece : new int[] {1, 3, 7, 1 << 20}) {
      CallFacts f = run("{\"model\":\"gpt-4o-mini\",\"messages\":[]}", Calls.JSON, completion(BAD, ""), piece);
      assertUsage(f, "piece " + piece);
    }
  }

  @Test
  void invalidUtf8InAStreamedDeltaKeepsTheUsageAfterIt() {
    byte[] sse = bytes(OpenAiSessionTest.chunk(OpenAiSessionTest.delta("a", null), "null"),
        OpenAiSessionTest.chunk(OpenAiSessionTest.delta(new String(BAD, StandardCharsets.ISO_8859_1), null), "null")
            .getBytes(StandardCharsets.ISO_8859_1),
        OpenAiSessionTest.chunk(OpenAiSessionTest.delta("b", "stop"), "null"),
        OpenAiSessionTest.chunk("[]", "{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}"),
        "data: [DONE]\n\n");
    byte[] clean = new String(sse, StandardCharsets.ISO_8859_1).replace(new String(BAD, StandardCharsets.ISO_8859_1),
        "Hi").getBytes(StandardCharsets.ISO_8859_1);
    int chunks = run(OpenAiSessionTest.STREAM_REQUEST, Calls.SSE, clean, 1 << 20).stream.chunkCount;
    assertEquals(3, chunks, "the chunks with choices");
    for (int piece : new int[] {1, 5, 1 << 20}) {
      CallFacts f = run(OpenAiSessionTest.STREAM_REQUEST, Calls.SSE, sse, piece);
      assertEquals(List.of("stop"), f.response.finishReasons, "piece " + piece);
      assertEquals(11, f.usage.inputTokens, "piece " + piece);
      assertEquals(7, f.usage.outputTokens, "piece " + piece);
      assertEquals(chunks, f.stream.chunkCount, "piece " + piece);
    }
  }

  @Test
  void nestingTenThousandDeepBeforeTheUsageIsSkipped() {
    String arrays = "[".repeat(10_000) + "]".repeat(10_000);
    String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    for (String deep : new String[] {arrays, objects}) {
      for (int piece : new int[] {4096, 1 << 20}) {
        CallFacts f = run("{\"model\":\"gpt-4o-mini\",\"messages\":[]}", Calls.JSON,
            completion("Hello", "\"deep\":" + deep + ","), piece);
        assertUsage(f, deep.charAt(0) + " piece " + piece);
      }
    }
  }
}
