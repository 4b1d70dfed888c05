package dev.llmotel.it.app.pinned;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Sample app pinning OkHttp 3.14.9 and Jackson 2.9.10. Argument: the simulator's base URL. Prints the library
 * versions it actually loaded (a leak of the agent's bundled copies would change them), then a chat call and a
 * stream, built and parsed with Jackson 2.9.
 */
public final class PinnedLibrariesApp {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MediaType JSON = MediaType.get("application/json");

  private PinnedLibrariesApp() {}

  public static void main(String[] args) throws Exception {
    System.out.println("jackson-databind: " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
    System.out.println("jackson-core: " + com.fasterxml.jackson.core.json.PackageVersion.VERSION);
    System.out.println("okhttp: " + okhttp3.internal.Version.userAgent());
    String url = args[0] + "/v1/chat/completions";
    OkHttpClient client = new OkHttpClient();
    try {
      chat(client, url);
      stream(client, url);
    } catch (Exception e) {
      System.out.println("exception: " + e.getClass().getName());
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    System.out.println("done");
  }

  private static ObjectNode request(boolean stream) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("model", "gpt-4o-mini");
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "user").put("content", "Say hello.");
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    return body;
  }

  private static Request post(String url, ObjectNode json) throws Exception {
    return new Request.Builder().url(url)
        .header("Authorization", "Bearer sk-test")
        .post(RequestBody.create(JSON, MAPPER.writeValueAsString(json)))
        .build();
  }

  private static void chat(OkHttpClient client, String url) throws Exception {
    try (Response response = client.newCall(post(url, request(false))).execute()) {
      JsonNode body = MAPPER.readTree(response.body().string());
      System.out.println("chat status: " + response.code());
      System.out.println("chat content: " + body.at("/choices/0/message/content").asText());
      printUsage(body.get("usage"));
    }
  }

  private static void stream(OkHttpClient client, String url) throws Exception {
    StringBuilder content = new StringBuilder();
    try (Response response = client.newCall(post(url, request(true))).execute()) {
      System.out.println("stream status: " + response.code());
      BufferedSource source = response.body().source();
      for (String line; (line = source.readUtf8Line()) != null; ) {
        if (!line.startsWith("data: ")) continue;
        String data = line.substring(6);
        if (data.equals("[DONE]")) break;
        JsonNode chunk = MAPPER.readTree(data);
        JsonNode delta = chunk.at("/choices/0/delta/content");
        if (delta.isTextual()) content.append(delta.asText());
        if (chunk.hasNonNull("usage")) printUsage(chunk.get("usage"));
      }
    }
    System.out.println("stream content: " + content);
  }

  private static void printUsage(JsonNode usage) {
    System.out.println("usage: prompt=" + usage.path("prompt_tokens").asLong() + " completion="
        + usage.path("completion_tokens").asLong());
  }
}
