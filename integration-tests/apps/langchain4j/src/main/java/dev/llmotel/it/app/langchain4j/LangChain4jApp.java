package dev.llmotel.it.app.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sample app on LangChain4j's OpenAI models (java.net.http underneath). Argument: the simulator's base URL. Prints
 * only deterministic lines, so its stdout must be identical with and without the agent.
 */
public final class LangChain4jApp {
  private LangChain4jApp() {}

  public static void main(String[] args) {
    String baseUrl = args[0] + "/v1";
    run("chat", () -> chat(baseUrl, "gpt-4o-mini"));
    run("stream", () -> stream(baseUrl));
    run("embeddings", () -> embed(baseUrl));
    run("server-error", () -> chat(baseUrl, "sim-500"));
    // LangChain4j's own retries (RetryUtils, its default policy: about 0.5 s, then 0.75 s, plus jitter, between
    // attempts; retry-after-ms is not read): sim-flaky answers 429 twice, then the chat
    run("retried", () -> chat(baseUrl, "sim-flaky", 2));
    System.out.println("done");
  }

  private static void chat(String baseUrl, String model) {
    chat(baseUrl, model, 0);
  }

  /** A chat through {@code OpenAiChatModel}, which LangChain4j retries up to {@code maxRetries} more times. */
  private static void chat(String baseUrl, String model, int maxRetries) {
    OpenAiChatModel chat = OpenAiChatModel.builder()
        .baseUrl(baseUrl)
        .apiKey("sk-test")
        .modelName(model)
        .maxRetries(maxRetries)
        .build();
    ChatResponse response = chat.chat(SystemMessage.from("You are a test."), UserMessage.from("Say hello."));
    System.out.println("content: " + response.aiMessage().text());
    System.out.println("finish: " + response.finishReason());
    printUsage(response.tokenUsage());
  }

  private static void stream(String baseUrl) {
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
        .baseUrl(baseUrl)
        .apiKey("sk-test")
        .modelName("gpt-4o-mini")
        .build();
    StringBuilder partials = new StringBuilder();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    model.chat("Say hello.", new StreamingChatResponseHandler() {
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
      System.out.println("stream failed: " + cause.getClass().getName());
    }
  }

  private static void embed(String baseUrl) {
    OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder()
        .baseUrl(baseUrl)
        .apiKey("sk-test")
        .modelName("text-embedding-3-small")
        .maxRetries(0)
        .build();
    Response<Embedding> response = model.embed("The food was delicious");
    System.out.println("embedding: " + response.content().dimension() + " " + response.content().vectorAsList());
    printUsage(response.tokenUsage());
  }

  private static void printUsage(TokenUsage usage) {
    if (usage == null) {
      System.out.println("usage: none");
    } else {
      System.out.println("usage: input=" + usage.inputTokenCount() + " output=" + usage.outputTokenCount()
          + " total=" + usage.totalTokenCount());
    }
  }

  /** Runs one scenario; an exception is printed as class name (and status when it has one), then the next runs. */
  private static void run(String name, Runnable scenario) {
    System.out.println("== " + name);
    try {
      scenario.run();
    } catch (RuntimeException e) {
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
