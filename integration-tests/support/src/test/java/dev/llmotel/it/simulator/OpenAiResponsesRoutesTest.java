package dev.llmotel.it.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator's Responses API as scripted, checked over real HTTP. */
class OpenAiResponsesRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static LlmSimulator simulator;

  @BeforeAll
  static void start() throws Exception { simulator = LlmSimulator.start(); }

  @AfterAll
  static void stop() { simulator.close(); }

  private static HttpResponse<String> post(String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v1/responses"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The events' data, each checked to carry the type its {@code event:} line names and the next sequence number. */
  private static List<JsonNode> events(String body) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String[] lines = block.split("\n");
      assertEquals(2, lines.length, block);
      assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), block);
      JsonNode data = JSON.readTree(lines[1].substring(6));
      assertEquals(lines[0].substring(7), data.get("type").asText(), block);
      assertEquals(events.size(), data.get("sequence_number").asInt(), block);
      events.add(data);
    }
    return events;
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.get("type").asText()).toList();
  }

  @Test
  void textResponse() throws Exception {
    HttpResponse<String> r = post("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}");
    assertEquals(200, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("resp_sim_text", body.get("id").asText());
    assertEquals("completed", body.get("status").asText());
    assertEquals(OpenAiResponsesPayloads.RESPONSE_MODEL, body.get("model").asText());
    assertEquals(OpenAiResponsesPayloads.TEXT, body.at("/output/0/content/0/text").asText());
    assertEquals(11, body.at("/usage/input_tokens").asInt());
    assertEquals(3, body.at("/usage/input_tokens_details/cached_tokens").asInt());
    assertEquals(2, body.at("/usage/output_tokens_details/reasoning_tokens").asInt());
    assertEquals(18, body.at("/usage/total_tokens").asInt());
  }

  @Test
  void functionCallAndIncomplete() throws Exception {
    JsonNode call = JSON.readTree(post("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\",\"tools\":[{\"type\":\"function\","
        + "\"name\":\"get_weather\"}]}").body());
    assertEquals("function_call", call.at("/output/0/type").asText());
    assertEquals(OpenAiResponsesPayloads.TOOL_ARGUMENTS, call.at("/output/0/arguments").asText());
    JsonNode incomplete = JSON.readTree(post("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\",\"max_output_tokens\":4}")
        .body());
    assertEquals("incomplete", incomplete.get("status").asText());
    assertEquals("max_output_tokens", incomplete.at("/incomplete_details/reason").asText());
    assertEquals(4, incomplete.at("/usage/output_tokens").asInt());
  }

  @Test
  void streams() throws Exception {
    HttpResponse<String> text = post("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\",\"stream\":true}");
    assertTrue(text.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<JsonNode> events = events(text.body());
    assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed"), types(events));
    assertEquals(7, events.get(10).at("/response/usage/output_tokens").asInt());

    List<JsonNode> tool = events(post("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\",\"stream\":true,\"tools\":[{}]}")
        .body());
    assertEquals(3, types(tool).stream().filter(t -> t.equals("response.function_call_arguments.delta")).count());
    assertEquals("response.completed", types(tool).get(tool.size() - 1));

    List<JsonNode> failed = events(post("{\"model\":\"sim-failed\",\"stream\":true}").body());
    assertEquals("response.failed", types(failed).get(failed.size() - 1));
    assertEquals("server_error", failed.get(failed.size() - 1).at("/response/error/code").asText());

    List<JsonNode> error = events(post("{\"model\":\"sim-stream-error\",\"stream\":true}").body());
    assertEquals("error", types(error).get(error.size() - 1));
    assertEquals("server_error", error.get(error.size() - 1).get("code").asText());

    List<JsonNode> truncated = events(post("{\"model\":\"sim-truncated\",\"stream\":true}").body());
    assertEquals("response.output_text.delta", types(truncated).get(truncated.size() - 1));
  }

  @Test
  void errors() throws Exception {
    HttpResponse<String> limited = post("{\"model\":\"sim-429\",\"input\":\"Hi\"}");
    assertEquals(429, limited.statusCode());
    assertEquals("rate_limit_exceeded", JSON.readTree(limited.body()).at("/error/code").asText());
    HttpResponse<String> unknown = post("{\"model\":\"nope\",\"input\":\"Hi\"}");
    assertEquals(404, unknown.statusCode());
    assertEquals("model_not_found", JSON.readTree(unknown.body()).at("/error/code").asText());
  }
}
