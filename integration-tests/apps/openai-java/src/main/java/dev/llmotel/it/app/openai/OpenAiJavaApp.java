package dev.llmotel.it.app.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Sample app on the official OpenAI Java SDK. Arguments: the simulator's base URL, then {@code retries} to add two
 * calls the SDK retries (maxRetries 2 against {@code sim-flaky}). Runs its scenarios in a fixed
 * order and prints only deterministic lines (content, token counts as the SDK reports them, exception class and
 * status), so its stdout must be identical with and without the agent.
 */
public final class OpenAiJavaApp {
  private OpenAiJavaApp() {}

  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(args[0] + "/v1")
        .apiKey("sk-test")
        .maxRetries(0)
        .build();
    try {
      run("chat", () -> chat(client));
      run("stream-with-usage", () -> stream(client, "gpt-4o-mini", true));
      run("stream-without-usage", () -> stream(client, "gpt-4o-mini", false));
      run("embeddings", () -> embeddings(client));
      run("rate-limited", () -> chatExpectingError(client, "sim-429"));
      run("server-error", () -> chatExpectingError(client, "sim-500"));
      run("truncated-stream", () -> stream(client, "sim-truncated", false));
      run("slow-stream", () -> stream(client, "sim-slow", false));
      run("abandoned-stream", () -> abandonedStream(client, "sim-long", 2));
      if (Arrays.asList(args).contains("retries")) {
        // the SDK's own retries: sim-flaky answers 429 twice, then the chat
        OpenAIClient retrying = client.withOptions(options -> options.maxRetries(2));
        run("retried", () -> chat(retrying, "sim-flaky"));
        run("retried-stream", () -> stream(retrying, "sim-flaky", true));
      }
    } finally {
      client.close();
    }
    System.out.println("done");
  }

  private static void chat(OpenAIClient client) {
    chat(client, "gpt-4o-mini");
  }

  private static void chat(OpenAIClient client, String model) {
    ChatCompletion completion = client.chat().completions().create(params(model));
    System.out.println("content: " + completion.choices().get(0).message().content().orElse(""));
    System.out.println("finish: " + completion.choices().get(0).finishReason().asString());
    completion.usage().ifPresent(OpenAiJavaApp::printUsage);
  }

  private static void stream(OpenAIClient client, String model, boolean includeUsage) {
    ChatCompletionCreateParams.Builder params = params(model).toBuilder();
    if (includeUsage) params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    StringBuilder content = new StringBuilder();
    int chunks = 0;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.build())) {
      Iterator<ChatCompletionChunk> it = stream.stream().iterator();
      while (it.hasNext()) {
        ChatCompletionChunk chunk = it.next();
        chunks++;
        chunk.choices().forEach(choice -> {
          choice.delta().content().ifPresent(content::append);
          choice.finishReason().ifPresent(f -> System.out.println("finish: " + f.asString()));
        });
        chunk.usage().ifPresent(OpenAiJavaApp::printUsage);
      }
    }
    System.out.println("content: " + content);
    System.out.println("chunks: " + chunks);
  }

  private static void abandonedStream(OpenAIClient client, String model, int keep) {
    StringBuilder content = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params(model))) {
      Iterator<ChatCompletionChunk> it = stream.stream().iterator();
      for (int i = 0; i < keep && it.hasNext(); i++) {
        it.next().choices().forEach(choice -> choice.delta().content().ifPresent(content::append));
      }
    }
    System.out.println("content before closing: " + content);
  }

  private static void embeddings(OpenAIClient client) {
    CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small")
        .input("The food was delicious")
        .build());
    List<Float> vector = response.data().get(0).embedding();
    System.out.println("embeddings: " + response.data().size() + " x " + vector.size() + " " + vector);
    System.out.println("usage: prompt=" + response.usage().promptTokens() + " total=" + response.usage().totalTokens());
  }

  private static void chatExpectingError(OpenAIClient client, String model) {
    try {
      client.chat().completions().create(params(model));
      System.out.println("no error");
    } catch (OpenAIServiceException e) {
      System.out.println("error: " + e.getClass().getSimpleName() + " status=" + e.statusCode());
    }
  }

  private static ChatCompletionCreateParams params(String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage("You are a test.")
        .addUserMessage("Say hello.")
        .build();
  }

  private static void printUsage(CompletionUsage usage) {
    System.out.println("usage: prompt=" + usage.promptTokens() + " completion=" + usage.completionTokens()
        + " total=" + usage.totalTokens()
        + " cached=" + usage.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(-1L)
        + " reasoning=" + usage.completionTokensDetails().flatMap(d -> d.reasoningTokens()).orElse(-1L));
  }

  /** Runs one scenario; an unexpected exception is printed as a deterministic line and the next scenario runs. */
  private static void run(String name, Runnable scenario) {
    System.out.println("== " + name);
    try {
      scenario.run();
    } catch (RuntimeException e) {
      System.out.println("exception: " + e.getClass().getName() + describeCause(e));
    }
  }

  private static String describeCause(Throwable e) {
    Throwable cause = e.getCause();
    return cause == null ? "" : " caused by " + cause.getClass().getName();
  }
}
