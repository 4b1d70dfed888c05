package dev.llmotel.dialect;

import java.util.Locale;

/**
 * The one provider table: which provider serves a host ({@code gen_ai.provider.name}, the semantic conventions' name
 * where one exists, a lower-case provider name otherwise), and under which prefix the price table lists that
 * provider's models. A dialect asks it for the provider of a request's host, falling back to its own protocol's
 * name for hosts not listed here (a self-hosted proxy or server such as LiteLLM or vLLM).
 */
public final class Providers {
  public static final String OPENAI = "openai";
  public static final String AZURE_OPENAI = "azure.ai.openai";
  public static final String ANTHROPIC = "anthropic";
  public static final String OLLAMA = "ollama";
  public static final String GEMINI = "gcp.gemini";
  public static final String VERTEX_AI = "gcp.vertex_ai";
  public static final String BEDROCK = "aws.bedrock";
  static final int OLLAMA_PORT = 11434;

  /** One row: how a host is matched, the provider name, the price table's model prefix (null: models unprefixed). */
  private static final class Row {
    final String host;
    final boolean suffix;
    final String provider;
    final String pricePrefix;
    /** When set, the host must also start with this (a suffix row naming one service of a shared domain). */
    String prefix;

    Row(String host, boolean suffix, String provider, String pricePrefix) {
      this.host = host;
      this.suffix = suffix;
      this.provider = provider;
      this.pricePrefix = pricePrefix;
    }
  }

  private static Row host(String host, String provider, String pricePrefix) {
    return new Row(host, false, provider, pricePrefix);
  }

  private static Row suffix(String suffix, String provider, String pricePrefix) {
    return new Row(suffix, true, provider, pricePrefix);
  }

  /** Hosts {@code <prefix>...<suffix>}, e.g. {@code bedrock-runtime.us-east-1.amazonaws.com}. */
  private static Row within(String prefix, String suffix, String provider, String pricePrefix) {
    Row row = new Row(suffix, true, provider, pricePrefix);
    row.prefix = prefix;
    return row;
  }

  private static final Row[] ROWS = {
      host("api.openai.com", OPENAI, null),
      host("api.anthropic.com", ANTHROPIC, null),
      host("api.groq.com", "groq", "groq/"),
      host("api.mistral.ai", "mistral_ai", "mistral/"),
      host("api.deepseek.com", "deepseek", "deepseek/"),
      host("openrouter.ai", "openrouter", "openrouter/"),
      host("api.x.ai", "x_ai", "xai/"),
      host("api.perplexity.ai", "perplexity", "perplexity/"),
      host("api.together.xyz", "together_ai", "together_ai/"),
      host("api.together.ai", "together_ai", "together_ai/"),
      host("api.fireworks.ai", "fireworks_ai", null),
      host("generativelanguage.googleapis.com", GEMINI, "gemini/"),
      host("api.cohere.ai", "cohere", null),
      host("api.cohere.com", "cohere", null),
      host("ollama.com", OLLAMA, null),
      suffix(".openai.azure.com", AZURE_OPENAI, "azure/"),
      suffix(".cognitiveservices.azure.com", AZURE_OPENAI, "azure/"),
      suffix("aiplatform.googleapis.com", VERTEX_AI, "vertex_ai/"),
      // the bundled price table (LiteLLM's snapshot as converted) lists no Bedrock models: no price prefix
      within("bedrock-runtime", ".amazonaws.com", BEDROCK, null),
  };

  private Providers() {}

  /**
   * The provider serving {@code host}; Ollama's default port when the host is not listed; else {@code fallback}.
   */
  public static String forHost(String host, int port, String fallback) {
    Row row = row(host);
    if (row != null) return row.provider;
    if (port == OLLAMA_PORT) return OLLAMA;
    return fallback;
  }

  /** The price table's model prefix for a provider ({@code gcp.gemini} → {@code gemini/}), or null. */
  public static String pricePrefix(String provider) {
    if (provider == null) return null;
    for (Row r : ROWS) {
      if (r.provider.equals(provider)) return r.pricePrefix;
    }
    return null;
  }

  private static Row row(String host) {
    if (host == null) return null;
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
    for (Row r : ROWS) {
      if ((r.suffix ? h.endsWith(r.host) : h.equals(r.host)) && (r.prefix == null || h.startsWith(r.prefix))) {
        return r;
      }
    }
    return null;
  }
}
