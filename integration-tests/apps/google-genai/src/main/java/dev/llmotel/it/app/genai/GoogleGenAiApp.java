package dev.llmotel.it.app.genai;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Sample app on Google's Gen AI Java SDK ({@code com.google.genai:google-genai}, OkHttp underneath). Argument: the
 * simulator's base URL, which both clients use ({@code HttpOptions.baseUrl}): one for the Developer API with an API
 * key, one for Vertex AI with a fixed access token (no Google credentials needed). Runs its scenarios in a fixed order
 * and prints only deterministic lines (text, finish reasons, token counts as the SDK reports them, exception class
 * and status), so its stdout must be identical with and without the agent. Retries are off: one request per call.
 */
public final class GoogleGenAiApp {
  private static final String MODEL = "gemini-2.5-flash";
  private static final String VERTEX_MODEL = "gemini-2.0-flash-001";
  private static final String EMBEDDING_MODEL = "gemini-embedding-001";

  private GoogleGenAiApp() {}

  public static void main(String[] args) {
    HttpOptions http = HttpOptions.builder()
        .baseUrl(args[0])
        .retryOptions(HttpRetryOptions.builder().attempts(1).build())
        .build();
    Client developer = Client.builder().apiKey("sk-test-gemini").httpOptions(http).build();
    Client vertex = Client.builder()
        .vertexAI(true)
        .project("it-project")
        .location("us-central1")
        .credentials(GoogleCredentials.create(new AccessToken("sim-access-token", null)))
        .httpOptions(http)
        .build();
    run("generate", () -> generate(developer, MODEL));
    run("stream", () -> stream(developer, MODEL));
    run("embed", () -> embed(developer));
    run("rate-limited", () -> generate(developer, "sim-429"));
    run("truncated-stream", () -> stream(developer, "sim-truncated"));
    run("vertex-generate", () -> generate(vertex, VERTEX_MODEL));
    System.out.println("done");
  }

  private static GenerateContentConfig config() {
    return GenerateContentConfig.builder().temperature(0.2f).maxOutputTokens(256).build();
  }

  private static void generate(Client client, String model) {
    GenerateContentResponse response = client.models.generateContent(model, "Say hello.", config());
    System.out.println("id: " + response.responseId().orElse("-") + " model: "
        + response.modelVersion().orElse("-"));
    System.out.println("text: " + response.text());
    System.out.println("finish: " + response.finishReason());
    response.usageMetadata().ifPresent(GoogleGenAiApp::printUsage);
  }

  private static void stream(Client client, String model) {
    StringBuilder text = new StringBuilder();
    int chunks = 0;
    GenerateContentResponse last = null;
    try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(model, "Say hello.",
        config())) {
      for (GenerateContentResponse chunk : stream) {
        chunks++;
        String piece = chunk.text();
        if (piece != null) text.append(piece);
        last = chunk;
      }
    }
    System.out.println("chunks: " + chunks + " text: " + text);
    if (last != null) {
      System.out.println("finish: " + last.finishReason());
      last.usageMetadata().ifPresent(GoogleGenAiApp::printUsage);
    }
  }

  private static void embed(Client client) {
    EmbedContentResponse response = client.models.embedContent(EMBEDDING_MODEL,
        Arrays.asList("first document", "second document"), null);
    List<ContentEmbedding> embeddings = response.embeddings().orElse(Collections.<ContentEmbedding>emptyList());
    System.out.println("embeddings: " + embeddings.size() + " dimensions: "
        + (embeddings.isEmpty() ? 0 : embeddings.get(0).values().map(List::size).orElse(0)));
  }

  private static void printUsage(GenerateContentResponseUsageMetadata usage) {
    System.out.println("usage: prompt " + usage.promptTokenCount().orElse(-1) + " cached "
        + usage.cachedContentTokenCount().orElse(-1) + " candidates " + usage.candidatesTokenCount().orElse(-1)
        + " thoughts " + usage.thoughtsTokenCount().orElse(-1) + " total " + usage.totalTokenCount().orElse(-1));
  }

  private static void run(String name, Runnable scenario) {
    System.out.println("== " + name);
    try {
      scenario.run();
    } catch (ApiException e) {
      System.out.println("api error: " + e.getClass().getName() + " " + e.code() + " " + e.status());
    } catch (RuntimeException e) {
      Throwable cause = e.getCause();
      System.out.println("exception: " + e.getClass().getName()
          + (cause == null ? "" : " caused by " + cause.getClass().getName()));
    }
  }
}
