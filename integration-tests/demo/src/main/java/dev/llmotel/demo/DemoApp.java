package dev.llmotel.demo;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.llmotel.it.simulator.LlmSimulator;

/**
 * An ordinary LLM app, with no tracing code at all: chat, streamed chat, embeddings and the odd rate-limit error,
 * through the official OpenAI Java SDK. Talks to {@code --base-url} if given, else to an LLM simulator it starts
 * in-process. Everything the agent records about these calls comes from the agent alone.
 */
public final class DemoApp {
  private DemoApp() {}

  public static void main(String[] args) throws Exception {
    int calls = 12;
    String baseUrl = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--calls")) calls = Integer.parseInt(args[i + 1]);
      if (args[i].equals("--base-url")) baseUrl = args[i + 1];
    }
    LlmSimulator simulator = baseUrl == null ? LlmSimulator.start() : null;
    if (simulator != null) baseUrl = simulator.baseUrl();
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(baseUrl + "/v1").apiKey("sk-demo-0000000000000000").maxRetries(0).build();
    try {
      for (int i = 0; i < calls; i++) {
        switch (i % 6) {
          case 0: chat(client); break;
          case 1: stream(client, "gpt-4o-mini"); break;
          case 2: embed(client); break;
          case 3: stream(client, "sim-slow"); break;
          case 4: chat(client); break;
          default: rateLimited(client); break;
        }
      }
    } finally {
      client.close();
      if (simulator != null) simulator.close();
    }
    System.out.println("[app] done: " + calls + " LLM calls");
  }

  private static ChatCompletionCreateParams params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello to the demo.").build();
  }

  private static void chat(OpenAIClient client) {
    ChatCompletion c = client.chat().completions().create(params("gpt-4o-mini"));
    System.out.println("[app] chat      -> " + c.choices().get(0).message().content().orElse(""));
  }

  private static void stream(OpenAIClient client, String model) {
    ChatCompletionCreateParams p = params(model).toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(p)) {
      s.stream().forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    }
    System.out.println("[app] stream    -> " + text + "  (" + model + ")");
  }

  private static void embed(OpenAIClient client) {
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").input("hello").build());
    System.out.println("[app] embedding -> " + r.data().size() + " vector(s)");
  }

  private static void rateLimited(OpenAIClient client) {
    try {
      client.chat().completions().create(params("sim-429"));
    } catch (OpenAIServiceException e) {
      System.out.println("[app] chat      -> HTTP " + e.statusCode() + " (the app handles it as usual)");
    }
  }
}
