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

/** The simulator speaks Ollama's native API as scripted, checked over real HTTP. */
class OllamaRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static LlmSimulator simulator;

  @BeforeAll
  static void start() throws Exception { simulator = LlmSimulator.start(); }

  @AfterAll
  static void stop() { simulator.close(); }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<JsonNode> lines(HttpResponse<String> r) throws Exception {
    assertEquals("application/x-ndjson", r.headers().firstValue("Content-Type").orElse(null));
    assertTrue(r.body().endsWith("\n"), r.body());
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.body().split("\n")) out.add(JSON.readTree(line));
    return out;
  }

  @Test
  void chatStreamsUnlessToldNotTo() throws Exception {
    List<JsonNode> streamed = lines(post("/api/chat", "{\"model\":\"llama3.2\",\"messages\":[]}"));
    assertEquals(OllamaRoutes.PIECES.size() + 1, streamed.size());
    StringBuilder text = new StringBuilder();
    for (JsonNode line : streamed) text.append(line.at("/message/content").asText());
    assertEquals(OllamaRoutes.ANSWER, text.toString());
    JsonNode last = streamed.get(streamed.size() - 1);
    assertTrue(last.get("done").asBoolean());
    assertEquals("stop", last.get("done_reason").asText());
    assertEquals(OllamaRoutes.PROMPT_TOKENS, last.get("prompt_eval_count").asLong());
    assertEquals(OllamaRoutes.EVAL_TOKENS, last.get("eval_count").asLong());
    for (JsonNode line : streamed.subList(0, streamed.size() - 1)) assertFalse(line.get("done").asBoolean());

    HttpResponse<String> whole = post("/api/chat", "{\"model\":\"llama3.2\",\"stream\":false}");
    assertEquals("application/json; charset=utf-8", whole.headers().firstValue("Content-Type").orElse(null));
    JsonNode body = JSON.readTree(whole.body());
    assertEquals(OllamaRoutes.ANSWER, body.at("/message/content").asText());
    assertEquals(OllamaRoutes.EVAL_TOKENS, body.get("eval_count").asLong());
  }

  @Test
  void generateInJsonAndAsAPacedStream() throws Exception {
    JsonNode json = JSON.readTree(post("/api/generate",
        "{\"model\":\"llama3.2\",\"prompt\":\"x\",\"format\":\"json\",\"stream\":false}").body());
    assertEquals(OllamaRoutes.JSON_ANSWER, json.get("response").asText());
    assertEquals("stop", json.get("done_reason").asText());
    long start = System.nanoTime();
    List<JsonNode> lines = lines(post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"x\"}"));
    assertTrue(System.nanoTime() - start >= 4 * LlmSimulator.SLOW_GAP_MILLIS * 1_000_000);
    assertEquals(OllamaRoutes.PIECES.get(0), lines.get(0).get("response").asText());
    assertTrue(lines.get(lines.size() - 1).get("done").asBoolean());
  }

  @Test
  void embeddingsNewAndOld() throws Exception {
    JsonNode embed = JSON.readTree(post("/api/embed", "{\"model\":\"all-minilm\",\"input\":[\"a\",\"b\"]}").body());
    assertEquals(2, embed.get("embeddings").size());
    assertEquals(OllamaRoutes.EMBED_DIMENSIONS, embed.at("/embeddings/1").size());
    assertEquals(OllamaRoutes.EMBED_PROMPT_TOKENS, embed.get("prompt_eval_count").asLong());
    JsonNode legacy = JSON.readTree(post("/api/embeddings", "{\"model\":\"nomic-embed-text\",\"prompt\":\"a\"}").body());
    assertEquals(OllamaRoutes.LEGACY_EMBED_DIMENSIONS, legacy.get("embedding").size());
    assertEquals(1, legacy.size());
    assertEquals(JSON.readTree(post("/api/embed", "{\"model\":\"all-minilm\",\"input\":\"a\"}").body()).at("/embeddings/0"),
        embed.at("/embeddings/0"), "the same vectors on every call");
  }

  @Test
  void errorsAndCutStreams() throws Exception {
    HttpResponse<String> missing = post("/api/chat", "{\"model\":\"llama9\"}");
    assertEquals(404, missing.statusCode());
    assertEquals("{\"error\":\"model 'llama9' not found\"}", missing.body());

    List<JsonNode> error = lines(post("/api/chat", "{\"model\":\"sim-error-mid-stream\"}"));
    assertEquals(OllamaRoutes.LINES_BEFORE_THE_END + 1, error.size());
    assertEquals(OllamaRoutes.STREAM_ERROR, error.get(2).get("error").asText());

    List<JsonNode> truncated = lines(post("/api/chat", "{\"model\":\"sim-truncated\"}"));
    assertEquals(OllamaRoutes.LINES_BEFORE_THE_END, truncated.size());
    assertFalse(truncated.get(1).get("done").asBoolean());

    assertEquals(404, post("/api/tags", "").statusCode());
  }

  @Test
  void theOpenAiRoutesAreUntouched() throws Exception {
    assertEquals(200, post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}").statusCode());
  }
}
