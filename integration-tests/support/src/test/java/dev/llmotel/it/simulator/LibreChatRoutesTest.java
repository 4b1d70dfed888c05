package dev.llmotel.it.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator speaks LibreChat's v0.8 API as scripted, checked over real HTTP. */
class LibreChatRoutesTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String BROWSER = "Mozilla/5.0 test";
  private static LlmSimulator simulator;

  @BeforeAll
  static void start() throws Exception { simulator = LlmSimulator.start(); }

  @AfterAll
  static void stop() { simulator.close(); }

  private static HttpRequest.Builder request(String path, String userAgent) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
        .header("Authorization", "Bearer " + LibreChatRoutes.JWT);
    return userAgent == null ? b : b.header("User-Agent", userAgent);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body, String userAgent) throws Exception {
    return send(request(path, userAgent).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void loginGivesAJwtAndARefreshCookie() throws Exception {
    HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/api/auth/login"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + LibreChatRoutes.EMAIL + "\",\"password\":\""
            + LibreChatRoutes.PASSWORD + "\"}")));
    assertEquals(200, ok.statusCode());
    assertTrue(ok.body().contains(LibreChatRoutes.JWT));
    assertTrue(ok.headers().firstValue("set-cookie").orElse("").startsWith("refreshToken="
        + LibreChatRoutes.REFRESH_TOKEN));
    assertEquals(401, send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/api/auth/login"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"wrong\"}"))).statusCode());
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/api/auth/refresh"))
        .header("Cookie", "refreshToken=" + LibreChatRoutes.REFRESH_TOKEN).POST(HttpRequest.BodyPublishers.noBody()))
        .statusCode());
  }

  @Test
  void aTurnStartsStreamsAndReportsItsStatus() throws Exception {
    HttpResponse<String> started = post("/api/agents/chat/openAI", "{\"model\":\"gpt-4o-mini\",\"text\":\"q\"}",
        BROWSER);
    assertTrue(started.body().matches("\\{\"streamId\":\"conv-\\d+\",\"conversationId\":\"conv-\\d+\","
        + "\"status\":\"started\"}"), started.body());
    String id = started.body().replaceAll(".*\"streamId\":\"([^\"]+)\".*", "$1");
    HttpResponse<String> stream = send(request("/api/agents/chat/stream/" + id, BROWSER).GET());
    assertEquals("text/event-stream", stream.headers().firstValue("content-type").orElse(""));
    String body = stream.body();
    assertTrue(body.startsWith("event: message\ndata: {\"created\":true"), body);
    assertEquals(LibreChatRoutes.PIECES.size(), body.split("on_message_delta", -1).length - 1);
    assertTrue(body.contains("\"event\":\"on_token_usage\""));
    assertTrue(body.endsWith("\"tokenCount\":" + LibreChatRoutes.OUTPUT_TOKENS + "}}\n\n"), body);
    for (int i = 0; i < LibreChatRoutes.ACTIVE_POLLS; i++) {
      assertTrue(send(request("/api/agents/chat/status/" + id, BROWSER).GET()).body().contains("\"active\":true"));
    }
    assertTrue(send(request("/api/agents/chat/status/" + id, BROWSER).GET()).body()
        .contains("\"active\":false,\"streamId\":\"" + id + "\",\"status\":\"complete\""));
    assertEquals(404, send(request("/api/agents/chat/stream/nope", BROWSER).GET()).statusCode());
  }

  @Test
  void abortAndRefusal() throws Exception {
    String started = post("/api/agents/chat", "{\"model\":\"" + LibreChatRoutes.FOREVER_MODEL + "\"}", BROWSER).body();
    String id = started.replaceAll(".*\"conversationId\":\"([^\"]+)\".*", "$1");
    for (int i = 0; i < 5; i++) {
      assertTrue(send(request("/api/agents/chat/status/" + id, BROWSER).GET()).body().contains("\"active\":true"));
    }
    assertEquals(200, post("/api/agents/chat/abort", "{\"conversationId\":\"" + id + "\"}", BROWSER).statusCode());
    assertTrue(send(request("/api/agents/chat/status/" + id, BROWSER).GET()).body().contains("\"status\":\"aborted\""));
    HttpResponse<String> refused = post("/api/agents/chat", "{\"model\":\"gpt-4o-mini\"}", null);
    assertEquals(200, refused.statusCode());
    assertEquals("event: error\ndata: {\"message\":\"Illegal request\"}\n\n", refused.body());
    assertEquals(401, send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/api/agents/chat"))
        .header("User-Agent", BROWSER).POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode());
  }
}
