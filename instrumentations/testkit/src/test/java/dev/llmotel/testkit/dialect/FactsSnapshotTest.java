package dev.llmotel.testkit.dialect;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.StreamOutcome;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class FactsSnapshotTest {
  @Test
  void factsAtTheirDefaultsGiveNoKeys() {
    assertEquals(Map.of(), FactsSnapshot.of(new CallFacts()));
  }

  @Test
  void everyFactHasItsKey() {
    CallFacts f = new CallFacts();
    f.request.operationName = "chat";
    f.request.providerName = "openai";
    f.request.model = "m";
    f.request.maxTokens = 10L;
    f.request.temperature = 0.5;
    f.request.topP = 0.9;
    f.request.topK = 40.0;
    f.request.frequencyPenalty = 0.1;
    f.request.presencePenalty = -0.1;
    f.request.seed = 7L;
    f.request.choiceCount = 2L;
    f.request.stopSequences = List.of("END");
    f.request.encodingFormats = List.of("float");
    f.request.outputType = "json";
    f.request.inputMessagesJson = "[{\"role\":\"user\",\"parts\":[]}]";
    f.request.systemInstructionsJson = "[{\"type\":\"text\",\"content\":\"Be brief.\"}]";
    f.request.toolDefinitionsJson = "[]";
    f.response.httpStatus = 200;
    f.response.eventStream = true;
    f.response.id = "id";
    f.response.model = "m-1";
    f.response.addFinishReason("stop");
    f.response.embeddingDimensions = 3;
    f.response.errorType = "e";
    f.response.errorMessage = "msg";
    f.response.reportedCostUsd = 0.25;
    f.response.outputMessagesJson = "not json";
    f.response.putExtra("openai.response.service_tier", "default");
    f.response.putExtra("x.count", 3);
    f.usage.inputTokens = 1;
    f.usage.outputTokens = 2;
    f.usage.cacheReadTokens = 3;
    f.usage.cacheCreationTokens = 4;
    f.usage.reasoningTokens = 5;
    f.stream.streamed = true;
    f.stream.outcome = StreamOutcome.ABANDONED;
    f.stream.chunkArrived();
    SortedMap<String, Object> s = FactsSnapshot.of(f);
    assertEquals(List.of("request.choice_count", "request.encoding_formats", "request.frequency_penalty",
        "request.input_messages", "request.max_tokens", "request.model", "request.operation_name",
        "request.output_type", "request.presence_penalty", "request.provider_name", "request.seed",
        "request.stop_sequences", "request.system_instructions", "request.temperature", "request.tool_definitions",
        "request.top_k", "request.top_p", "response.embedding_dimensions", "response.error_message",
        "response.error_type", "response.event_stream", "response.extra.openai.response.service_tier",
        "response.extra.x.count", "response.finish_reasons", "response.http_status", "response.id",
        "response.model", "response.output_messages", "response.reported_cost_usd", "stream.chunk_count",
        "stream.outcome", "stream.streamed", "usage.cache_creation_tokens", "usage.cache_read_tokens",
        "usage.input_tokens", "usage.output_tokens", "usage.reasoning_tokens"), List.copyOf(s.keySet()));
    assertEquals(List.of(Map.of("role", "user", "parts", List.of())), s.get("request.input_messages"));
    assertEquals("not json", s.get("response.output_messages"), "invalid JSON stays a string");
    assertEquals("abandoned", s.get("stream.outcome"));
    assertEquals(1L, s.get("stream.chunk_count"));
    assertEquals(3L, s.get("response.extra.x.count"));
    assertEquals(s.toString(), FactsSnapshot.parse(FactsSnapshot.toJson(s)).toString(), "toJson and parse agree");
    assertEquals("", FactsSnapshot.diff(FactsSnapshot.parse(FactsSnapshot.toJson(s)), s));
  }

  @Test
  void theDiffNamesMissingExtraAndDifferingKeys() {
    SortedMap<String, Object> expected = FactsSnapshot.parse(
        "{\"request.model\":\"a\",\"usage.input_tokens\":5,\"request.temperature\":1,\"response.id\":\"x\"}");
    CallFacts f = new CallFacts();
    f.request.model = "b";
    f.usage.inputTokens = 5;
    f.request.temperature = 1.0;
    f.usage.outputTokens = 2;
    assertEquals("  differs request.model: expected \"a\" but was \"b\"\n"
        + "  missing response.id: expected \"x\", the dialect left it at its default\n"
        + "  extra   usage.output_tokens: 2, not in expected.json\n", FactsSnapshot.diff(expected, FactsSnapshot.of(f)));
  }

  @Test
  void anExpectedFileMustBeOneObject() {
    assertThrows(IllegalArgumentException.class, () -> FactsSnapshot.parse("[1]"));
    assertThrows(IllegalArgumentException.class, () -> FactsSnapshot.parse("{\"a\":1,\"a\":1}"));
  }
}
