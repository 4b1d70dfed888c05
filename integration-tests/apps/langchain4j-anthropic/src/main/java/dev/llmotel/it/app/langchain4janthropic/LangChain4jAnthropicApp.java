package dev.llmotel.it.app.langchain4janthropic;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sample app on LangChain4j's Anthropic models (langchain4j-http-client-jdk, so java.net.http underneath) against the
 * simulator's Anthropic Messages route: a chat, a streamed chat (waited for) and a chat answered 429. Argument: the
 * simulator's base URL. Prints only deterministic lines, so its stdout must be identical with and without the agent.
 */
public final class LangChain4jAnthropicApp {
  private static final String MODEL = "claude-sonnet-4-5";

  private LangChain4jAnthropicApp() {}

  public static void main(String[] args) {
    String baseUrl = args[0] + "/v1/";
    run("chat", () -> chat(baseUrl, MODEL));
    run("stream", () -> stream(baseUrl));
    run("rate-limited", () -> chat(baseUrl, "sim-429"));
    System.out.println("done");
  }

  private static void chat(String baseUrl, String model) {
    AnthropicChatModel chat = AnthropicChatModel.builder()
        .baseUrl(baseUrl)
        .apiKey("sk-test")
        .modelName(model)
        .maxTokens(256)
        .maxRetries(0)
        .logRequests(false)
        .logResponses(false)
        .build();
    ChatResponse response = chat.chat(SystemMessage.from("You are a test."), UserMessage.from("Say hello."));
    System.out.println("id: " + response.id() + " model: " + response.modelName());
    System.out.println("content: " + response.aiMessage().text());
    System.out.println("finish: " + response.finishReason());
    printUsage(response.tokenUsage());
  }

  private static void stream(String baseUrl) throws Exception {
    AnthropicStreamingChatModel streaming = AnthropicStreamingChatModel.builder()
        .baseUrl(baseUrl)
        .apiKey("sk-test")
        .modelName(MODEL)
        .maxTokens(256)
        .logRequests(false)
        .logResponses(false)
        .build();
    StringBuilder partials = new StringBuilder();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    streaming.chat(java.util.List.of(SystemMessage.from("You are a test."), UserMessage.from("Say hello.")),
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
    ChatResponse response = done.get(30, TimeUnit.SECONDS);
    synchronized (partials) {
      System.out.println("partials: " + partials);
    }
    System.out.println("id: " + response.id() + " model: " + response.modelName());
    System.out.println("content: " + response.aiMessage().text());
    System.out.println("finish: " + response.finishReason());
    printUsage(response.tokenUsage());
  }

  private static void printUsage(TokenUsage usage) {
    if (usage == null) {
      System.out.println("usage: none");
      return;
    }
    String cache = usage instanceof AnthropicTokenUsage anthropic
        ? " cache_read=" + anthropic.cacheReadInputTokens() + " cache_creation=" + anthropic.cacheCreationInputTokens()
        : "";
    System.out.println("usage: input=" + usage.inputTokenCount() + " output=" + usage.outputTokenCount()
        + " total=" + usage.totalTokenCount() + cache);
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
