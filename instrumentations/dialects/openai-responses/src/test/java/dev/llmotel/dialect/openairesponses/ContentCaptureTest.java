package dev.llmotel.dialect.openairesponses;

import static dev.llmotel.dialect.openairesponses.Calls.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.StreamOutcome;
import org.junit.jupiter.api.Test;

/** Prompts and output are collected only when capture is on, then in the conventions' shapes, cut at the limit. */
class ContentCaptureTest {
  private static DialectSession open(boolean capture, int maxChars) {
    return Calls.open(capture ? DialectContext.builder().captureContent(maxChars).build() : DialectContext.defaults());
  }

  static final String REQUEST = "{\"model\":\"gpt-4.1\",\"instructions\":\"Be brief.\",\"input\":["
      + "{\"type\":\"message\",\"role\":\"developer\",\"content\":\"Answer in French.\"},"
      + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Describe these.\"},"
      + "{\"type\":\"input_image\",\"file_id\":\"file-img1\"},{\"type\":\"input_file\",\"file_id\":\"file-pdf1\"},"
      + "{\"type\":\"input_file\",\"file_url\":\"https://example.com/a.pdf\"},"
      + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"mp3\"}}]},"
      + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Thinking.\"}]},"
      + "{\"type\":\"reasoning\",\"id\":\"rs_2\",\"summary\":[],\"encrypted_content\":\"gAAA\"},"
      + "{\"type\":\"item_reference\",\"id\":\"msg_0\"},"
      + "{\"type\":\"custom_tool_call\",\"call_id\":\"call_9\",\"name\":\"sql\",\"input\":\"SELECT 1\"},"
      + "{\"type\":\"custom_tool_call_output\",\"call_id\":\"call_9\",\"output\":[{\"type\":\"input_text\",\"text\":\"1\"}]},"
      + "{\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Voil\u00e0.\"},"
      + "{\"type\":\"refusal\",\"refusal\":\"Non.\"}]}],"
      + "\"tools\":[{\"type\":\"web_search\"},{\"type\":\"mcp\",\"server_label\":\"deepwiki\",\"server_url\":\"https://x\"},"
      + "{\"type\":\"custom\",\"name\":\"sql\",\"description\":\"Runs SQL.\"}]}";

  static final String RESPONSE = "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"gpt-4.1\","
      + "\"output\":[{\"type\":\"web_search_call\",\"id\":\"ws_1\",\"status\":\"completed\"},"
      + "{\"type\":\"message\",\"id\":\"msg_1\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
      + "\"text\":\"Line one\\nLine \\\"two\\\"\",\"annotations\":[{\"type\":\"url_citation\",\"url\":\"https://x\"}]}]},"
      + "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"not json\"}],"
      + "\"usage\":{\"input_tokens\":5,\"output_tokens\":6}}";

  @Test
  void offByDefaultNoTextIsKept() {
    CallFacts f = Calls.run(open(false, 0), REQUEST, 200, Calls.JSON, RESPONSE, 13, true);
    assertNull(f.request.inputMessagesJson);
    assertNull(f.request.systemInstructionsJson);
    assertNull(f.request.toolDefinitionsJson);
    assertNull(f.response.outputMessagesJson);
    assertEquals(5, f.usage.inputTokens);
  }

  @Test
  void everyInputItemKindAndTool() {
    CallFacts f = Calls.run(open(true, 1000), REQUEST, 200, Calls.JSON, RESPONSE, 7, true);
    assertEquals("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Answer in French.\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Describe these.\"},"
        + "{\"type\":\"file\",\"modality\":\"image\",\"file_id\":\"file-img1\"},{\"type\":\"file\",\"file_id\":\"file-pdf1\"},"
        + "{\"type\":\"uri\",\"uri\":\"https://example.com/a.pdf\"},"
        + "{\"type\":\"blob\",\"modality\":\"audio\",\"mime_type\":\"audio/mp3\",\"content\":\"UklGRg==\"}]},"
        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"reasoning\",\"content\":\"Thinking.\"}]},"
        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_9\",\"name\":\"sql\","
        + "\"arguments\":\"SELECT 1\"}]},"
        + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_9\",\"response\":\"1\"}]},"
        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Voil\u00e0.\"},"
        + "{\"type\":\"text\",\"content\":\"Non.\"}]}]", f.request.inputMessagesJson);
    assertEquals("[{\"type\":\"text\",\"content\":\"Be brief.\"}]", f.request.systemInstructionsJson);
    assertEquals("[{\"type\":\"web_search\",\"name\":\"web_search\"},{\"type\":\"mcp\",\"name\":\"deepwiki\"},"
        + "{\"type\":\"custom\",\"name\":\"sql\",\"description\":\"Runs SQL.\"}]", f.request.toolDefinitionsJson);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Line one\\nLine \\\"two\\\"\"},"
        + "{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"f\",\"arguments\":\"not json\"}],"
        + "\"finish_reason\":\"tool_call\"}]", f.response.outputMessagesJson);
  }

  @Test
  void textIsCutAtTheLimitAndMarked() {
    CallFacts f = Calls.run(open(true, 4), REQUEST, 200, Calls.JSON, RESPONSE, 64, true);
    assertEquals("[{\"type\":\"text\",\"content\":\"Be b...[truncated]\"}]", f.request.systemInstructionsJson);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Line...[truncated]\"},"
        + "{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"f\",\"arguments\":\"not ...[truncated]\"}],"
        + "\"finish_reason\":\"tool_call\"}]", f.response.outputMessagesJson);
  }

  static final String ABANDONED = event("{\"type\":\"response.created\",\"response\":{\"id\":\"resp_2\","
      + "\"status\":\"in_progress\",\"model\":\"gpt-4.1\",\"output\":[]}}")
      + event("{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"function_call\","
      + "\"call_id\":\"call_5\",\"name\":\"get_weather\",\"arguments\":\"\"}}")
      + event("{\"type\":\"response.function_call_arguments.delta\",\"output_index\":0,\"delta\":\"{\\\"city\\\":\"}")
      + event("{\"type\":\"response.function_call_arguments.delta\",\"output_index\":0,\"delta\":\"\\\"Oslo\\\"}\"}")
      + event("{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"type\":\"function_call\","
      + "\"call_id\":\"call_5\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}")
      + event("{\"type\":\"response.output_item.added\",\"output_index\":1,\"item\":{\"type\":\"message\","
      + "\"role\":\"assistant\",\"content\":[]}}")
      + event("{\"type\":\"response.output_text.delta\",\"output_index\":1,\"content_index\":0,\"delta\":\"Checking\"}")
      + event("{\"type\":\"response.output_text.delta\",\"output_index\":1,\"content_index\":0,\"delta\":\" now\"}");

  @Test
  void aStreamLeftBeforeItsEndKeepsTheOutputSoFar() {
    CallFacts f = Calls.run(open(true, 1000), "{\"model\":\"gpt-4.1\",\"input\":\"Weather in Oslo?\",\"stream\":true}",
        200, Calls.SSE, ABANDONED, 5, false);
    assertEquals(StreamOutcome.ABANDONED, f.stream.outcome);
    assertEquals(4, f.stream.chunkCount);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_5\",\"name\":\"get_weather\","
        + "\"arguments\":{\"city\":\"Oslo\"}},{\"type\":\"text\",\"content\":\"Checking now\"}],"
        + "\"finish_reason\":\"error\"}]", f.response.outputMessagesJson);

    CallFacts cut = Calls.run(open(true, 5), "{\"model\":\"gpt-4.1\",\"input\":\"Weather in Oslo?\",\"stream\":true}",
        200, Calls.SSE, ABANDONED, 1, false);
    assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_5\",\"name\":\"get_weather\","
        + "\"arguments\":\"{\\\"cit...[truncated]\"},{\"type\":\"text\",\"content\":\"Check...[truncated]\"}],"
        + "\"finish_reason\":\"error\"}]", cut.response.outputMessagesJson);
  }
}
