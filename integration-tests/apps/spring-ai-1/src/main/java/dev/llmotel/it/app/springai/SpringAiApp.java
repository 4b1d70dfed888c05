package dev.llmotel.it.app.springai;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.embedding.EmbeddingResponse;

/**
 * Sample app on Spring AI 1.1.2 (Spring Boot 3.5.7): OpenAI and Anthropic chat models through {@code ChatClient}
 * (call, stream) and directly ({@code ChatModel.call}), an OpenAI embedding, a stream abandoned after two pieces, and a 429. Arguments:
 * the simulator's base URL, then one or more modes, each run in turn in this JVM: {@code boot} (Spring Boot's
 * auto-configuration, the default), {@code manual} (models built by hand, no Boot), {@code observed} (boot, with
 * Spring AI's observations traced through {@code GlobalOpenTelemetry}) or {@code observed-boot-sdk} (boot, traced
 * by an OpenTelemetry SDK of Boot's own), or {@code retries} (boot with Spring AI's retry template at three attempts
 * 10 ms apart, 429 included, and only an OpenAI and an Anthropic {@code ChatModel.call} to {@code sim-flaky-mixed},
 * answered 429, then 500, then the answer). Prints only deterministic lines (logs go to stderr), so its stdout must be
 * identical with and without the agent.
 */
public final class SpringAiApp {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** The simulator answers it with a 429, then a 500, then the answer. */
  private static final String FLAKY_MIXED = "sim-flaky-mixed";

  private SpringAiApp() {}

  public static void main(String[] args) {
    String baseUrl = args[0];
    List<String> modes = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("boot");
    for (String mode : modes) runAll(baseUrl, mode);
    System.out.println("done");
    System.out.flush();
    System.exit(0);
  }

  /** Every scenario, with the models one mode makes (several modes run one after the other in one JVM). */
  private static void runAll(String baseUrl, String mode) {
    System.out.println("mode: " + mode);
    try (Models models = mode.equals("manual") ? Models.byHand(baseUrl) : Models.boot(baseUrl, mode)) {
      System.out.println("openai transport: " + Transports.describe(models.openAi()));
      System.out.println("anthropic transport: " + Transports.describe(models.anthropic()));
      System.out.println("embedding transport: " + Transports.describe(models.embedding()));
      if (mode.equals("retries")) {
        run("openai retried call", () -> print(models.openAi().call(new Prompt("Say hello.", model(FLAKY_MIXED)))));
        run("anthropic retried call", () -> print(models.anthropic().call(new Prompt("Say hello.",
            model(FLAKY_MIXED)))));
        return;
      }
      ChatClient openAi = models.chatClient(models.openAi());
      ChatClient anthropic = models.chatClient(models.anthropic());
      run("openai chat-client call", () -> System.out.println("content: " + openAi.prompt().user("Say hello.").call()
          .content()));
      run("openai chat-client stream", () -> stream(openAi));
      run("openai chat-model call", () -> print(models.openAi().call(new Prompt("Say hello."))));
      run("anthropic chat-client call", () -> System.out.println("content: " + anthropic.prompt().user("Say hello.")
          .call().content()));
      run("anthropic chat-client stream", () -> stream(anthropic));
      run("anthropic chat-model call", () -> print(models.anthropic().call(new Prompt("Say hello."))));
      run("openai embedding", () -> {
        EmbeddingResponse response = models.embedding().embedForResponse(List.of("The food was delicious"));
        float[] vector = response.getResult().getOutput();
        System.out.println("embedding: " + vector.length + " dimensions, first " + vector[0]);
        printUsage(response.getMetadata().getUsage());
      });
      run("openai abandoned stream", () -> {
        List<String> pieces = openAi.prompt().user("Count slowly.").options(model("sim-long")).stream().content()
            .take(2).collectList().block(WAIT);
        System.out.println("pieces kept: " + pieces);
      });
      run("openai rate-limited", () -> {
        try {
          print(models.openAi().call(new Prompt("Say hello.", model("sim-429"))));
        } catch (RuntimeException expected) {
          System.out.println("error: " + expected.getClass().getName());
        }
      });
    }
  }

  private static ChatOptions model(String model) {
    return ChatOptions.builder().model(model).build();
  }

  private static void stream(ChatClient client) {
    List<ChatResponse> responses = client.prompt().user("Say hello.").stream().chatResponse().collectList()
        .block(WAIT);
    StringBuilder pieces = new StringBuilder();
    String finish = null;
    Usage usage = null;
    for (ChatResponse r : Objects.requireNonNull(responses)) {
      if (r.getResult() != null) {
        pieces.append('[').append(r.getResult().getOutput().getText()).append(']');
        String f = r.getResult().getMetadata().getFinishReason();
        if (f != null && !f.isEmpty()) finish = f;
      }
      if (r.getMetadata().getUsage() != null && r.getMetadata().getUsage().getTotalTokens() != null
          && r.getMetadata().getUsage().getTotalTokens() > 0) {
        usage = r.getMetadata().getUsage();
      }
    }
    System.out.println("responses: " + responses.size() + " pieces: " + pieces);
    System.out.println("finish: " + finish);
    printUsage(usage);
  }

  private static void print(ChatResponse response) {
    System.out.println("id: " + response.getMetadata().getId() + " model: " + response.getMetadata().getModel());
    System.out.println("content: " + response.getResult().getOutput().getText());
    System.out.println("finish: " + response.getResult().getMetadata().getFinishReason());
    printUsage(response.getMetadata().getUsage());
  }

  private static void printUsage(Usage usage) {
    if (usage == null) {
      System.out.println("usage: none");
    } else {
      System.out.println("usage: prompt=" + usage.getPromptTokens() + " completion=" + usage.getCompletionTokens()
          + " total=" + usage.getTotalTokens());
    }
  }

  /**
   * Runs one scenario; an unexpected exception is printed as its class name (the tests fail on that line), then the
   * next scenario runs.
   */
  private static void run(String name, Runnable scenario) {
    System.out.println("== " + name);
    try {
      scenario.run();
    } catch (RuntimeException e) {
      System.out.println("exception: " + e.getClass().getName());
      e.printStackTrace();
    }
  }
}
