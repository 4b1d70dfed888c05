package dev.llmotel.it.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Bedrock routes over real HTTP: the recorded request's model is its path's (decoded) model id. */
class BedrockRoutesTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void recordsThePathsModelIdAsTheRequestModel() throws Exception {
    try (LlmSimulator simulator = LlmSimulator.start()) {
      HttpResponse<String> converse = CLIENT.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl()
              + "/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}")).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> throttled = CLIENT.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl()
              + "/model/sim-throttled/converse"))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, converse.statusCode());
      assertTrue(converse.body().contains("\"stopReason\":\"end_turn\""), converse.body());
      assertEquals(429, throttled.statusCode());
      assertEquals(List.of(BedrockRoutes.MODEL, BedrockRoutes.THROTTLED),
          simulator.requests().stream().map(RecordedRequest::model).toList());
    }
  }
}
