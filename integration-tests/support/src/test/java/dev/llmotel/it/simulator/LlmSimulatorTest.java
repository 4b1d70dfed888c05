package dev.llmotel.it.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator speaks the OpenAI wire format as scripted, checked over real HTTP. */
class LlmSimulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static LlmSimulator simulator;

  @BeforeAll
  static void start() throws Exception { simulator = LlmSimulator.start(); }

  @AfterAll
  static void stop() { simulator.close(); }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
        .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<JsonNode> sseData(String body) throws Exception {
    List<JsonNode> chunks = new ArrayList<>();
    assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    for (String event : body.split("\n\n")) {
      assertTrue(event.startsWith("data: "), event);
      String data = event.substring(6);
      if (!data.equals("[DONE]")) chunks.add(JSON.readTree(data));
    }
    return chunks;
  }

  @Test
  void chatCompletionWithUsage() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}");
    assertEquals(200, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("chatcmpl-sim-1", body.get("id").asText());
    assertEquals("gpt-4o-mini-2024-07-18", body.get("model").asText());
    assertEquals("Hello from the simulator.", body.at("/choices/0/message/content").asText());
    assertEquals("stop", body.at("/choices/0/finish_reason").asText());
    assertEquals(11, body.at("/usage/prompt_tokens").asInt());
    assertEquals(7, body.at("/usage/completion_tokens").asInt());
    assertEquals(18, body.at("/usage/total_tokens").asInt());
    assertEquals(3, body.at("/usage/prompt_tokens_details/cached_tokens").asInt());
    assertEquals(2, body.at("/usage/completion_tokens_details/reasoning_tokens").asInt());
    assertEquals("fp_sim", body.get("system_fingerprint").asText());
    RecordedRequest recorded = simulator.requests().get(simulator.requests().size() - 1);
    assertEquals("0af7651916cd43dd8448eb211c80319c", recorded.traceParent().orElseThrow().traceId());
    assertEquals("b7ad6b7169203331", recorded.traceParent().orElseThrow().parentId());
  }

  @Test
  void streamWithAndWithoutUsage() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<JsonNode> chunks = sseData(r.body());
    assertEquals(6, chunks.size());
    StringBuilder content = new StringBuilder();
    chunks.forEach(c -> content.append(c.at("/choices/0/delta/content").asText("")));
    assertEquals("Hello from the simulator.", content.toString());
    assertEquals("stop", chunks.get(4).at("/choices/0/finish_reason").asText());
    assertEquals(0, chunks.get(5).get("choices").size());
    assertEquals(11, chunks.get(5).at("/usage/prompt_tokens").asInt());
    assertTrue(chunks.get(0).get("usage").isNull());

    List<JsonNode> plain = sseData(post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"stream\":true}").body());
    assertEquals(5, plain.size());
    assertFalse(plain.stream().anyMatch(c -> c.has("usage")));
  }

  @Test
  void embeddingsAsFloatsAndBase64() throws Exception {
    JsonNode floats = JSON.readTree(post("/v1/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"]}").body());
    assertEquals(2, floats.get("data").size());
    assertEquals(8, floats.at("/data/0/embedding").size());
    assertEquals(5, floats.at("/usage/prompt_tokens").asInt());
    JsonNode b64 = JSON.readTree(post("/v1/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":\"a\",\"encoding_format\":\"base64\"}").body());
    ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(b64.at("/data/0/embedding").asText()))
        .order(ByteOrder.LITTLE_ENDIAN);
    float[] decoded = new float[buf.remaining() / 4];
    for (int i = 0; i < decoded.length; i++) decoded[i] = buf.getFloat();
    float[] expected = new float[8];
    for (int i = 0; i < 8; i++) expected[i] = (float) floats.at("/data/0/embedding/" + i).asDouble();
    assertArrayEquals(expected, decoded);
  }

  @Test
  void errors() throws Exception {
    HttpResponse<String> r429 = post("/v1/chat/completions", "{\"model\":\"sim-429\"}");
    assertEquals(429, r429.statusCode());
    assertEquals("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
        r429.body());
    HttpResponse<String> r500 = post("/v1/chat/completions", "{\"model\":\"sim-500\"}");
    assertEquals(500, r500.statusCode());
    assertEquals("{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"code\":null}}",
        r500.body());
    assertEquals(404, post("/v1/chat/completions", "{\"model\":\"nope\"}").statusCode());
  }

  @Test
  void truncatedStreamEndsWithoutFinishOrDone() throws Exception {
    String body = post("/v1/chat/completions", "{\"model\":\"sim-truncated\",\"stream\":true}").body();
    assertFalse(body.contains("[DONE]"));
    assertFalse(body.contains("\"finish_reason\":\"stop\""));
    assertEquals(2, body.split("\n\n").length);
  }

  @Test
  void slowStreamWaitsBeforeEachChunk() throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl()
        + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-slow\",\"stream\":true}"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      assertTrue(in.read() >= 0);
      assertTrue(System.nanoTime() - start >= 150_000_000L, "first chunk before 150 ms");
      in.readAllBytes();
    }
    assertTrue(System.nanoTime() - start >= 6 * 150_000_000L, "whole stream faster than 6 gaps");
  }

  @Test
  void hugeBodyHasItsDeclaredLengthAndIsValidJson() throws Exception {
    HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl()
        + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-huge\"}")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    long declared = r.headers().firstValueAsLong("content-length").orElse(-1);
    assertEquals(new HugeCompletionBody("sim-huge").length(), declared);
    ObjectMapper unlimited = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
        .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE).build()).build());
    try (InputStream in = r.body()) {
      JsonNode body = unlimited.readTree(in);
      assertEquals(HugeCompletionBody.CONTENT_BYTES, body.at("/choices/0/message/content").asText().length());
      assertEquals(11, body.at("/usage/prompt_tokens").asInt());
    }
  }
}
