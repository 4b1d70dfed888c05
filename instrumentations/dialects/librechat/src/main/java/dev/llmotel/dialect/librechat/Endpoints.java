package dev.llmotel.dialect.librechat;

import dev.llmotel.dialect.Providers;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * LibreChat's endpoint names ({@code openAI}, {@code anthropic}, {@code google}, a custom endpoint's name, ...) and
 * the {@code gen_ai.provider.name} each stands for. {@code agents} and unknown custom endpoints name no provider: the
 * turn's {@code on_token_usage} frame may name it, else it is {@value #FALLBACK}.
 */
final class Endpoints {
  static final String FALLBACK = "librechat";
  private static final Map<String, String> PROVIDERS = new HashMap<>();

  static {
    put(Providers.OPENAI, "openai", "assistants", "chatgptbrowser");
    put(Providers.AZURE_OPENAI, "azureopenai", "azureassistants", "azure_openai", "azure");
    put(Providers.ANTHROPIC, "anthropic");
    put(Providers.GEMINI, "google", "gemini", "googlegenai", "google_genai");
    put(Providers.VERTEX_AI, "vertexai", "vertex_ai", "google_vertexai");
    put(Providers.BEDROCK, "bedrock", "aws_bedrock");
    put(Providers.OLLAMA, "ollama");
    put("groq", "groq");
    put("mistral_ai", "mistral", "mistralai");
    put("openrouter", "openrouter");
    put("deepseek", "deepseek");
    put("x_ai", "xai", "grok");
    put("perplexity", "perplexity");
    put("cohere", "cohere");
    put("together_ai", "together", "togetherai", "together_ai");
    put("fireworks_ai", "fireworks", "fireworks_ai");
  }

  private static void put(String provider, String... endpoints) {
    for (String e : endpoints) PROVIDERS.put(e, provider);
  }

  private Endpoints() {}

  /** The provider an endpoint (or a frame's provider field) stands for, or null when it names none known. */
  static String provider(String endpoint) {
    if (endpoint == null) return null;
    return PROVIDERS.get(endpoint.trim().toLowerCase(Locale.ROOT).replace("-", "_").replace(" ", ""));
  }
}
