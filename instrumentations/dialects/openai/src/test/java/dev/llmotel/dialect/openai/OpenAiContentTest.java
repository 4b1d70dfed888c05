package dev.llmotel.dialect.openai;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiContentTest {
  private static JsonValue json(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return JsonTreeReader.parse(b, 0, b.length, JsonLimits.defaults());
  }

  private static void assertValidJson(String s) {
    JsonValue v = json(s);
    assertTrue(v.isArray() && !v.isTruncated(), "not valid JSON: " + s);
  }

  @Test
  void inputMessagesInSemconvShape() {
    String request = "{\"model\":\"gpt-4o\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is on this picture?\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/cat.png\"}}],\"name\":\"ann\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}]}";
    String out = OpenAiContent.inputMessages(json(request), 1000);
    assertEquals("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is on this picture?\"},"
        + "{\"type\":\"uri\",\"modality\":\"image\",\"uri\":\"https://x/cat.png\"}],\"name\":\"ann\"},"
        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"weather\","
        + "\"arguments\":{\"city\":\"Paris\"}}]},"
        + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\",\"response\":\"sunny\"}]}]",
        out);
    assertValidJson(out);
  }

  @Test
  void longTextIsCutAndStillValidJson() {
    String out = OpenAiContent.inputMessages(json("{\"messages\":[{\"role\":\"user\",\"content\":\"abcdefghij\\\"klm\"}]}"), 5);
    assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"abcde...[truncated]\"}]}]", out);
    assertValidJson(out);
  }

  @Test
  void toolDefinitions() {
    String out = OpenAiContent.toolDefinitions(json("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\","
        + "\"description\":\"Weather by city\",\"parameters\":{\"type\":\"object\"}}}]}"), 1000);
    assertEquals("[{\"type\":\"function\",\"name\":\"weather\",\"description\":\"Weather by city\","
        + "\"parameters\":{\"type\":\"object\"}}]", out);
    assertNull(OpenAiContent.toolDefinitions(json("{\"model\":\"x\"}"), 1000));
  }

  @Test
  void outputMessagesOnePerChoiceWithMappedFinishReasons() {
    String response = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi!\"},"
        + "\"finish_reason\":\"stop\"},{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"not json\"}}]},"
        + "\"finish_reason\":\"tool_calls\"}]}";
    String out = OpenAiContent.outputMessages(json(response), 1000);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi!\"}],\"finish_reason\":\"stop\"},"
        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"c\",\"name\":\"f\",\"arguments\":\"not json\"}],"
        + "\"finish_reason\":\"tool_call\"}]", out);
    assertValidJson(out);
  }

  @Test
  void streamedDeltasAreAssembledPerChoiceAndToolCall() {
    OpenAiContent.StreamAssembler a = new OpenAiContent.StreamAssembler(1000);
    a.onChunk(json("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}"));
    a.onChunk(json("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}"));
    a.onChunk(json("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}"));
    a.onChunk(json("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_9\","
        + "\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"ci\"}}]}}]}"));
    a.onChunk(json("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
        + "\"function\":{\"arguments\":\"ty\\\":\\\"Oslo\\\"}\"}}]}}]}"));
    a.onChunk(json("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"));
    a.onChunk(json("{\"choices\":[],\"usage\":{\"prompt_tokens\":3}}"));
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\"},"
        + "{\"type\":\"tool_call\",\"id\":\"call_9\",\"name\":\"weather\",\"arguments\":{\"city\":\"Oslo\"}}],"
        + "\"finish_reason\":\"tool_call\"}]", a.outputMessages());
  }

  @Test
  void streamedTextIsBoundedByTheLimit() {
    OpenAiContent.StreamAssembler a = new OpenAiContent.StreamAssembler(4);
    for (int i = 0; i < 10_000; i++) a.onChunk(json("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abc\"}}]}"));
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"abca...[truncated]\"}],"
        + "\"finish_reason\":\"error\"}]", a.outputMessages());
  }
}
