package dev.llmotel.it.app.langchain4jgemini;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.googleai.GoogleAiEmbeddingModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sample app on LangChain4j's Google AI Gemini models (langchain4j-http-client-jdk, so java.net.http underneath)
 * against the simulator's Gemini routes on the Developer API's paths: a chat, a streamed chat (waited for), embeddings
 * of two texts, a chat answered 429 and a stream that ends without a finish reason. Argument: the simulator's base
 * URL. Prints only deterministic lines, so its stdout must be identical with and without the agent.
 */
public final class LangChain4jGeminiApp {
  private static final String MODEL = "gemini-2.5-flash";
  private static final String API_KEY = "sk-test";

  private LangChain4jGeminiApp() {}

  public static void main(String[] args) {
    String baseUrl = args[0] + "/v1beta";
    // the HTTP client LangChain4j finds on the class path (ServiceLoader): the one every model below uses
    System.out.println("http client: " + HttpClientBuilderLoader.loadHttpClientBuilder().getClass().getName());
    run("chat", () -> chat(baseUrl, MODEL));
    run("stream", () -> stream(baseUrl, MODEL));
    run("embeddings", () -> embed(baseUrl));
    run("rate-limited", () -> chat(baseUrl, "sim-429"));
    run("truncated-stream", () -> stream(baseUrl, "sim-truncated"));
    System.out.println("done");
  }

  private static void chat(String baseUrl, String model) {
    GoogleAiGeminiChatModel chat = GoogleAiGeminiChatModel.builder()
        .baseUrl(baseUrl)
        .apiKey(API_KEY)
        .modelName(model)
        .maxOutputTokens(256)
        .temperature(0.2)
        .maxRetries(0)
        .build();
    ChatResponse response = chat.chat(SystemMessage.from("You are a test."), UserMessage.from("Say hello."));
    System.out.println("id: " + response.id() + " model: " + response.modelName());
    System.out.println("content: " + response.aiMessage().text());
    System.out.println("finish: " + response.finishReason());
    printUsage(response.tokenUsage());
  }

  private static void stream(String baseUrl, String model) throws Exception {
    GoogleAiGeminiStreamingChatModel streaming = GoogleAiGeminiStreamingChatModel.builder()
        .baseUrl(baseUrl)
        .apiKey(API_KEY)
        .modelName(model)
        .maxOutputTokens(256)
        .temperature(0.2)
        .build();
    StringBuilder partials = new StringBuilder();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    streaming.chat(List.of(SystemMessage.from("You are a test."), UserMessage.from("Say hello.")),
        new StreamingChatResponseHandler() {
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
    ChatResponse response;
    try {
      response = done.get(30, TimeUnit.SECONDS);
    } finally {
      synchronized (partials) {
        System.out.println("partials: " + partials);
      }
    }
    System.out.println("id: " + response.id() + " model: " + response.modelName());
    System.out.println("content: " + response.aiMessage().text());
    System.out.println("finish: " + response.finishReason());
    printUsage(response.tokenUsage());
  }

  private static void embed(String baseUrl) {
    GoogleAiEmbeddingModel model = GoogleAiEmbeddingModel.builder()
        .baseUrl(baseUrl)
        .apiKey(API_KEY)
        .modelName("gemini-embedding-001")
        .maxRetries(0)
        .build();
    Response<List<Embedding>> response = model.embedAll(
        List.of(TextSegment.from("The food was delicious"), TextSegment.from("The sky is blue")));
    for (Embedding e : response.content()) {
      System.out.println("embedding: " + e.dimension() + " " + e.vectorAsList());
    }
    printUsage(response.tokenUsage());
  }

  private static void printUsage(TokenUsage usage) {
    if (usage == null) {
      System.out.println("usage: none");
      return;
    }
    String gemini = usage instanceof GoogleAiGeminiTokenUsage g
        ? " cached=" + g.cachedContentTokenCount() + " thoughts=" + g.thoughtsTokenCount()
        : "";
    System.out.println("usage: input=" + usage.inputTokenCount() + " output=" + usage.outputTokenCount()
        + " total=" + usage.totalTokenCount() + gemini);
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
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      System.out.println("error: " + cause.getClass().getName() + status(cause));
    }
  }

  private static String status(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof dev.langchain4j.exception.HttpException http) return " status=" + http.statusCode();
    }
    return "";
  }
}
