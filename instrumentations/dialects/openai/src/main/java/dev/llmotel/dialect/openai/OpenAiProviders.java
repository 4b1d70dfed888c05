package dev.llmotel.dialect.openai;

import java.util.Locale;

/**
 * Which provider serves an OpenAI-compatible API, told from the host (GenAI semantic-convention provider names where
 * they exist, a lower-case provider name otherwise). Unknown hosts (self-hosted proxies and servers such as LiteLLM
 * or vLLM) are reported as {@code openai}: the protocol spoken.
 */
final class OpenAiProviders {
  static final String OPENAI = "openai";
  static final String AZURE = "azure.ai.openai";
  static final int OLLAMA_PORT = 11434;

  /** Exact host names. */
  private static final String[][] HOSTS = {
      {"api.openai.com", OPENAI},
      {"api.groq.com", "groq"},
      {"api.mistral.ai", "mistral_ai"},
      {"api.deepseek.com", "deepseek"},
      {"openrouter.ai", "openrouter"},
      {"api.x.ai", "x_ai"},
      {"api.perplexity.ai", "perplexity"},
      {"api.together.xyz", "together_ai"},
      {"api.together.ai", "together_ai"},
      {"api.fireworks.ai", "fireworks_ai"},
      {"generativelanguage.googleapis.com", "gcp.gemini"},
      {"api.anthropic.com", "anthropic"},
      {"api.cohere.ai", "cohere"},
      {"api.cohere.com", "cohere"},
  };

  /** Host name suffixes. */
  private static final String[][] SUFFIXES = {
      {".openai.azure.com", AZURE},
      {".cognitiveservices.azure.com", AZURE},
  };

  private OpenAiProviders() {}

  /** The provider name for a host and port; never null. */
  static String forHost(String host, int port) {
    if (host != null) {
      String h = host.toLowerCase(Locale.ROOT);
      if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
      for (String[] entry : HOSTS) {
        if (h.equals(entry[0])) return entry[1];
      }
      for (String[] entry : SUFFIXES) {
        if (h.endsWith(entry[0])) return entry[1];
      }
    }
    if (port == OLLAMA_PORT) return "ollama";
    return OPENAI;
  }
}
