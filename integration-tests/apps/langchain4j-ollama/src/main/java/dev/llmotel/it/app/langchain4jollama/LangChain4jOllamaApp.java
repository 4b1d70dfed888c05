package dev.llmotel.it.app.langchain4jollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sample app against Ollama's native API: LangChain4j's Ollama models (java.net.http underneath) for chat, a streamed
 * chat, embeddings, an unknown model and an error in the middle of a stream; raw {@code java.net.http} for what
 * LangChain4j does not send (generate with Ollama's default stream and with {@code "format": "json"}, the older
 * {@code /api/embeddings}) and for a stream that ends without its final line and one the app closes early. Argument:
 * the simulator's base URL. Prints only deterministic lines, so its stdout must be identical with and without the
 * agent.
 */
public final class LangChain4jOllamaApp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LangChain4jOllamaApp() {}

  public static void main(String[] args) {
    String baseUrl = args[0];
    HttpClient client = HttpClient.newHttpClient();
    run("chat", () -> chat(baseUrl, "llama3.2"));
    run("stream", () -> stream(baseUrl, "llama3.2"));
    run("embeddings", () -> embed(baseUrl));
    run("model-not-found", () -> chat(baseUrl, "llama9"));
    run("error-mid-stream", () -> stream(baseUrl, "sim-error-mid-stream"));
    run("generate-stream", () -> lines(client, baseUrl + "/api/generate",
        "{\"model\":\"llama3.2\",\"prompt\":\"Say hello.\",\"system\":\"You are a test.\"}", Integer.MAX_VALUE));
    run("generate-json", () -> generateJson(client, baseUrl));
    run("legacy-embeddings", () -> legacyEmbeddings(client, baseUrl));
    run("truncated-stream", () -> lines(client, baseUrl + "/api/chat",
        "{\"model\":\"sim-truncated\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}",
        Integer.MAX_VALUE));
    run("abandoned-stream", () -> lines(client, baseUrl + "/api/chat",
        "{\"model\":\"sim-long\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}", 2));
    System.out.println("done");
  }

  private static void chat(String baseUrl, String model) {
    OllamaChatModel chat = OllamaChatModel.builder()
        .baseUrl(baseUrl)
        .modelName(model)
        .temperature(0.2)
        .topP(0.9)
        .topK(40)
        .seed(42)
        .numPredict(128)
        .stop(List.of("\n\n"))
        .maxRetries(0)
        .build();
    ChatResponse response = chat.chat(SystemMessage.from("You are a test."), UserMessage.from("Say hello."));
    System.out.println("content: " + response.aiMessage().text());
    System.out.println("finish: " + response.finishReason());
    printUsage(response.tokenUsage());
  }

  private static void stream(String baseUrl, String model) {
    OllamaStreamingChatModel streaming = OllamaStreamingChatModel.builder()
        .baseUrl(baseUrl)
        .modelName(model)
        .temperature(0.7)
        .build();
    StringBuilder partials = new StringBuilder();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    streaming.chat("Say hello.", new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String partial) {
        synchronized (partials) {
          partials.append('[').append(partial).append(']');
        }
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    try {
      ChatResponse response = done.get(30, TimeUnit.SECONDS);
      synchronized (partials) {
        System.out.println("partials: " + partials);
      }
      System.out.println("content: " + response.aiMessage().text());
      System.out.println("finish: " + response.finishReason());
      printUsage(response.tokenUsage());
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      synchronized (partials) {
        System.out.println("partials: " + partials);
      }
      System.out.println("stream failed: " + cause.getClass().getName() + ": " + cause.getMessage());
    }
  }

  private static void embed(String baseUrl) {
    OllamaEmbeddingModel model = OllamaEmbeddingModel.builder()
        .baseUrl(baseUrl)
        .modelName("all-minilm")
        .maxRetries(0)
        .build();
    Response<List<Embedding>> response = model.embedAll(
        List.of(TextSegment.from("Why is the sky blue?"), TextSegment.from("Why is the grass green?")));
    for (Embedding e : response.content()) {
      System.out.println("embedding: " + e.dimension() + " first=" + e.vector()[0]);
    }
    printUsage(response.tokenUsage());
  }

  private static HttpRequest post(String url, String json) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /** Reads an NDJSON stream line by line, at most {@code maxLines} lines, then closes it. */
  private static void lines(HttpClient client, String url, String json, int maxLines) throws Exception {
    HttpResponse<InputStream> response = client.send(post(url, json), HttpResponse.BodyHandlers.ofInputStream());
    System.out.println("status: " + response.statusCode());
    int read = 0;
    boolean finished = false;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line; read < maxLines && (line = reader.readLine()) != null; read++) {
        JsonNode node = JSON.readTree(line);
        String text = node.has("message") ? node.at("/message/content").asText() : node.path("response").asText();
        System.out.println("line: [" + text + "] done=" + node.path("done").asBoolean());
        finished |= node.path("done").asBoolean();
        if (finished) {
          System.out.println("tokens: in=" + node.path("prompt_eval_count").asLong() + " out="
              + node.path("eval_count").asLong() + " reason=" + node.path("done_reason").asText());
        }
      }
    }
    System.out.println(finished ? "finished" : "closed after " + read + " lines without a final line");
  }

  private static void generateJson(HttpClient client, String baseUrl) throws Exception {
    HttpResponse<String> response = client.send(post(baseUrl + "/api/generate",
        "{\"model\":\"llama3.2\",\"prompt\":\"Greet me as JSON.\",\"format\":\"json\",\"stream\":false}"),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    System.out.println("status: " + response.statusCode());
    System.out.println("response: " + body.path("response").asText());
    System.out.println("tokens: in=" + body.path("prompt_eval_count").asLong() + " out="
        + body.path("eval_count").asLong());
  }

  private static void legacyEmbeddings(HttpClient client, String baseUrl) throws Exception {
    HttpResponse<String> response = client.send(post(baseUrl + "/api/embeddings",
        "{\"model\":\"nomic-embed-text\",\"prompt\":\"Llamas are members of the camelid family.\"}"),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    System.out.println("status: " + response.statusCode());
    System.out.println("embedding: " + body.path("embedding").size() + " first=" + body.at("/embedding/0").asDouble());
  }

  private static void printUsage(TokenUsage usage) {
    if (usage == null) {
      System.out.println("usage: none");
    } else {
      System.out.println("usage: input=" + usage.inputTokenCount() + " output=" + usage.outputTokenCount()
          + " total=" + usage.totalTokenCount());
    }
  }

  interface Scenario {
    void run() throws Exception;
  }

  /** Runs one scenario; an exception is printed as class name (and status when it has one), then the next runs. */
  private static void run(String name, Scenario scenario) {
    System.out.println("== " + name);
    try {
      scenario.run();
    } catch (Exception e) {
      System.out.println("error: " + e.getClass().getName() + status(e));
    }
  }

  private static String status(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof dev.langchain4j.exception.HttpException http) return " status=" + http.statusCode();
    }
    return "";
  }
}
