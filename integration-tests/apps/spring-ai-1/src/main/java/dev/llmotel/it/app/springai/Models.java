package dev.llmotel.it.app.springai;

import io.micrometer.observation.ObservationRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.anthropic.api.AnthropicApi;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.retry.RetryUtils;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/** The app's models, made by Spring Boot's auto-configuration or by hand; closing it closes the Boot context. */
record Models(ChatModel openAi, ChatModel anthropic, EmbeddingModel embedding, ObservationRegistry observations,
    ConfigurableApplicationContext context) implements AutoCloseable {

  static final String API_KEY = "sk-test";

  /** Built by hand, as Spring AI's reference shows it without Boot: default retry templates, no observations. */
  static Models byHand(String baseUrl) {
    OpenAiApi openAiApi = OpenAiApi.builder().baseUrl(baseUrl).apiKey(API_KEY).build();
    OpenAiChatModel openAi = OpenAiChatModel.builder()
        .openAiApi(openAiApi)
        .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").streamUsage(true).build())
        .build();
    OpenAiEmbeddingModel embedding = new OpenAiEmbeddingModel(openAiApi, MetadataMode.EMBED,
        OpenAiEmbeddingOptions.builder().model("text-embedding-3-small").build(), RetryUtils.DEFAULT_RETRY_TEMPLATE);
    AnthropicChatModel anthropic = AnthropicChatModel.builder()
        .anthropicApi(AnthropicApi.builder().baseUrl(baseUrl).apiKey(API_KEY).build())
        .defaultOptions(AnthropicChatOptions.builder().model("claude-sonnet-4-5").maxTokens(256).build())
        .build();
    return new Models(openAi, anthropic, embedding, ObservationRegistry.NOOP, null);
  }

  /** Spring Boot's auto-configuration from the starters, pointed at the simulator by properties. */
  static Models boot(String baseUrl, String mode) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.ai.openai.base-url", baseUrl);
    properties.put("spring.ai.openai.api-key", API_KEY);
    properties.put("spring.ai.openai.chat.options.model", "gpt-4o-mini");
    properties.put("spring.ai.openai.chat.options.stream-usage", "true");
    properties.put("spring.ai.openai.embedding.options.model", "text-embedding-3-small");
    properties.put("spring.ai.anthropic.base-url", baseUrl);
    properties.put("spring.ai.anthropic.api-key", API_KEY);
    properties.put("spring.ai.anthropic.chat.options.model", "claude-sonnet-4-5");
    properties.put("spring.ai.anthropic.chat.options.max-tokens", "256");
    // two chat models: the ChatClient.Builder bean needs one, so the app builds its clients itself
    properties.put("spring.ai.chat.client.enabled", "false");
    properties.put("management.tracing.sampling.probability", "1.0");
    if (mode.equals("retries")) {
      // Spring AI's retry template as an application tunes it: three attempts 10 to 20 ms apart, a 429 retried as well
      properties.put("spring.ai.retry.max-attempts", "3");
      properties.put("spring.ai.retry.backoff.initial-interval", "10ms");
      properties.put("spring.ai.retry.backoff.multiplier", "2");
      properties.put("spring.ai.retry.backoff.max-interval", "20ms");
      properties.put("spring.ai.retry.on-http-codes", "429");
    }
    SpringApplication app = mode.equals("observed")
        ? new SpringApplication(BootApp.class, ObservedTracing.class)
        : new SpringApplication(BootApp.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setBannerMode(Banner.Mode.OFF);
    app.setLogStartupInfo(false);
    app.setDefaultProperties(properties);
    ConfigurableApplicationContext context = app.run();
    return new Models(context.getBean(OpenAiChatModel.class), context.getBean(AnthropicChatModel.class),
        context.getBean(OpenAiEmbeddingModel.class),
        context.getBeanProvider(ObservationRegistry.class).getIfAvailable(() -> ObservationRegistry.NOOP), context);
  }

  /** A ChatClient on one model, observed through the registry Boot made (if any). */
  ChatClient chatClient(ChatModel model) {
    return ChatClient.builder(model, observations, null, null).build();
  }

  @Override
  public void close() {
    if (context != null) context.close();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class BootApp {}
}
