package dev.llmotel.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ProvidersTest {
  @Test
  void providerFromHost() {
    assertEquals("openai", Providers.forHost("api.openai.com", 443, "openai"));
    assertEquals("openai", Providers.forHost("API.OpenAI.com.", 443, "openai"));
    assertEquals("azure.ai.openai", Providers.forHost("contoso.openai.azure.com", 443, "openai"));
    assertEquals("groq", Providers.forHost("api.groq.com", 443, "openai"));
    assertEquals("mistral_ai", Providers.forHost("api.mistral.ai", 443, "openai"));
    assertEquals("deepseek", Providers.forHost("api.deepseek.com", 443, "openai"));
    assertEquals("openrouter", Providers.forHost("openrouter.ai", 443, "openai"));
    assertEquals("x_ai", Providers.forHost("api.x.ai", 443, "openai"));
    assertEquals("perplexity", Providers.forHost("api.perplexity.ai", 443, "openai"));
    assertEquals("aws.bedrock", Providers.forHost("bedrock-runtime.us-east-1.amazonaws.com", 443, "x"));
    assertEquals("aws.bedrock", Providers.forHost("bedrock-runtime-fips.us-west-2.amazonaws.com", 443, "x"));
    assertEquals("x", Providers.forHost("s3.us-east-1.amazonaws.com", 443, "x"));
    assertEquals("together_ai", Providers.forHost("api.together.xyz", 443, "openai"));
    assertEquals("fireworks_ai", Providers.forHost("api.fireworks.ai", 443, "openai"));
    assertEquals("gcp.gemini", Providers.forHost("generativelanguage.googleapis.com", 443, "openai"));
    assertEquals("ollama", Providers.forHost("localhost", 11434, "openai"));
    assertEquals("ollama", Providers.forHost("ollama.lan", 11434, "openai"));
    assertEquals("ollama", Providers.forHost("ollama.com", 443, "openai"));
    assertEquals("openai", Providers.forHost("localhost", 4000, "openai"));
    assertEquals("openai", Providers.forHost("vllm.internal", 8000, "openai"));
    assertEquals("openai", Providers.forHost("evil-api.openai.com.attacker.net", 443, "openai"));
    assertEquals("openai", Providers.forHost(null, 443, "openai"));
    assertEquals("anthropic", Providers.forHost("api.anthropic.com", 443, "openai"));
    assertEquals("gcp.vertex_ai", Providers.forHost("us-central1-aiplatform.googleapis.com", 443, "openai"));
  }

  @Test
  void pricePrefixPerProvider() {
    assertEquals("gemini/", Providers.pricePrefix("gcp.gemini"));
    assertEquals("vertex_ai/", Providers.pricePrefix("gcp.vertex_ai"));
    assertEquals("mistral/", Providers.pricePrefix("mistral_ai"));
    assertEquals("deepseek/", Providers.pricePrefix("deepseek"));
    assertEquals("groq/", Providers.pricePrefix("groq"));
    assertEquals("xai/", Providers.pricePrefix("x_ai"));
    assertEquals("azure/", Providers.pricePrefix("azure.ai.openai"));
    assertEquals("perplexity/", Providers.pricePrefix("perplexity"));
    assertEquals("together_ai/", Providers.pricePrefix("together_ai"));
    assertEquals("openrouter/", Providers.pricePrefix("openrouter"));
    assertNull(Providers.pricePrefix("openai"));
    assertNull(Providers.pricePrefix("anthropic"));
    assertNull(Providers.pricePrefix("no-such-provider"));
    assertNull(Providers.pricePrefix(null));
  }
}
