package dev.llmotel.it.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** The simulator speaks Anthropic's Messages API as scripted, checked over real HTTP. */
class AnthropicRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static LlmSimulator simulator;

  @BeforeAll
  static void start() throws Exception { simulator = LlmSimulator.start(); }

  @AfterAll
  static void stop() { simulator.close(); }

  private static HttpResponse<String> post(String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v1/messages"))
        .header("x-api-key", "sk-test").header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Each event as [name, data]; every event has both, and the data's type is the name. */
  private static List<String[]> events(String body) throws Exception {
    List<String[]> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String[] lines = block.split("\n");
      assertEquals(2, lines.length, block);
      assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), block);
      String name = lines[0].substring(7);
      String data = lines[1].substring(6);
      assertEquals(name, JSON.readTree(data).get("type").asText(), block);
      events.add(new String[] {name, data});
    }
    return events;
  }

  private static List<String> names(List<String[]> events) {
    return events.stream().map(e -> e[0]).toList();
  }

  @Test
  void messageWithCacheUsage() throws Exception {
    HttpResponse<String> r = post("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[]}");
    assertEquals(200, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("msg_sim_01", body.get("id").asText());
    assertEquals("claude-sonnet-4-5-20250929", body.get("model").asText());
    assertEquals("Hello from the simulator.", body.at("/content/0/text").asText());
    assertEquals("end_turn", body.get("stop_reason").asText());
    assertEquals(9, body.at("/usage/input_tokens").asInt());
    assertEquals(6, body.at("/usage/cache_read_input_tokens").asInt());
    assertEquals(4, body.at("/usage/cache_creation_input_tokens").asInt());
    assertEquals(7, body.at("/usage/output_tokens").asInt());
    assertEquals("sk-test", simulator.requests().get(simulator.requests().size() - 1).header("x-api-key").get(0));
  }

  @Test
  void streamOfNamedEvents() throws Exception {
    HttpResponse<String> r = post("{\"model\":\"claude-sonnet-4-5\",\"stream\":true,\"messages\":[]}");
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<String[]> events = events(r.body());
    assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
        "content_block_delta", "content_block_stop", "message_delta", "message_stop"), names(events));
    StringBuilder text = new StringBuilder();
    for (String[] e : events) {
      if (e[0].equals("content_block_delta")) text.append(JSON.readTree(e[1]).at("/delta/text").asText());
    }
    assertEquals("Hello from the simulator.", text.toString());
    JsonNode delta = JSON.readTree(events.get(7)[1]);
    assertEquals("end_turn", delta.at("/delta/stop_reason").asText());
    assertEquals(7, delta.at("/usage/output_tokens").asInt());
    assertEquals(9, JSON.readTree(events.get(0)[1]).at("/message/usage/input_tokens").asInt());
  }

  @Test
  void toolsGetAToolUseMessage() throws Exception {
    JsonNode body = JSON.readTree(post("{\"model\":\"claude-sonnet-4-5\",\"tools\":[{\"name\":\"get_weather\"}],"
        + "\"messages\":[]}").body());
    assertEquals("tool_use", body.get("stop_reason").asText());
    assertEquals("tool_use", body.at("/content/1/type").asText());
    assertEquals("Paris", body.at("/content/1/input/location").asText());
    assertEquals(25, body.at("/usage/input_tokens").asInt());
  }

  @Test
  void errorsMidStreamErrorAndTruncation() throws Exception {
    HttpResponse<String> r429 = post("{\"model\":\"sim-429\"}");
    assertEquals(429, r429.statusCode());
    assertEquals("rate_limit_error", JSON.readTree(r429.body()).at("/error/type").asText());
    assertEquals("20", r429.headers().firstValue("retry-after").orElse(""));
    assertEquals("api_error", JSON.readTree(post("{\"model\":\"sim-500\"}").body()).at("/error/type").asText());
    assertEquals(404, post("{\"model\":\"nope\"}").statusCode());

    List<String[]> overloaded = events(post("{\"model\":\"sim-overloaded\",\"stream\":true}").body());
    assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "error"),
        names(overloaded));
    assertEquals("overloaded_error", JSON.readTree(overloaded.get(4)[1]).at("/error/type").asText());

    List<String> truncated = names(events(post("{\"model\":\"sim-truncated\",\"stream\":true}").body()));
    assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta"),
        truncated);
    assertFalse(truncated.contains("message_stop"));
  }
}
