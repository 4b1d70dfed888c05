package dev.llmotel.dialect.openairesponses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class OpenAiResponsesDialectTest {
  private static DialectSession open(String method, String host, int port, String path) {
    return new OpenAiResponsesDialect().open(new ExchangeRequest(method, "https", host, port, path, null,
        HeaderLookup.NONE), DialectContext.defaults());
  }

  private static boolean claims(String path) {
    return open("POST", "localhost", 4000, path) != null;
  }

  @Test
  void claimsTheCreateRouteOnly() {
    assertTrue(claims("/v1/responses"));
    assertTrue(claims("/responses"), "LiteLLM serves it without /v1");
    assertTrue(claims("/v1/responses/"));
    assertTrue(claims("/openai/v1/responses"), "Azure's v1 route");
    assertTrue(claims("/openai/responses"), "Azure's preview route (api-version in the query)");
    assertTrue(claims("/api/v1/responses"), "OpenRouter");
    assertEquals(false, claims("/v1/responses/resp_123"), "retrieve");
    assertEquals(false, claims("/v1/responses/resp_123/cancel"));
    assertEquals(false, claims("/v1/responses/resp_123/input_items"));
    assertEquals(false, claims("/v1/responses/input_tokens"));
    assertEquals(false, claims("/v1/responses/compact"));
    assertEquals(false, claims("/v1/chat/completions"));
    assertEquals(false, claims("/v1/my-responses"));
    assertEquals(false, claims("/"));
    assertNull(open("GET", "api.openai.com", 443, "/v1/responses"));
    assertNull(open("DELETE", "api.openai.com", 443, "/v1/responses"));
  }

  @Test
  void chatOperationAndProviderFromTheHost() {
    DialectSession openai = open("POST", "api.openai.com", 443, "/v1/responses");
    assertEquals("chat", openai.facts().request.operationName);
    assertEquals("openai", openai.facts().request.providerName);
    assertEquals("responses", openai.facts().response.extra().get("openai.api.type"));
    assertEquals("azure.ai.openai",
        open("POST", "contoso.openai.azure.com", 443, "/openai/v1/responses").facts().request.providerName);
    assertEquals("azure.ai.openai",
        open("POST", "contoso.cognitiveservices.azure.com", 443, "/openai/v1/responses").facts().request.providerName);
    assertEquals("openrouter", open("POST", "openrouter.ai", 443, "/api/v1/responses").facts().request.providerName);
    assertEquals("openai", open("POST", "litellm.internal", 4000, "/responses").facts().request.providerName,
        "a proxy or self-hosted server not in the provider table: the protocol's provider");
    assertEquals("ollama", open("POST", "localhost", 11434, "/v1/responses").facts().request.providerName);
  }

  @Test
  void registeredAsAGenericService() {
    OpenAiResponsesDialect found = null;
    for (Dialect d : ServiceLoader.load(Dialect.class)) if (d instanceof OpenAiResponsesDialect r) found = r;
    assertNotNull(found, "META-INF/services entry");
    assertEquals("openai-responses", found.name());
    assertEquals(Dialect.GENERIC, found.precedence());
  }

  @Test
  void openNeverThrows() {
    assertNull(new OpenAiResponsesDialect().open(new ExchangeRequest(null, null, null, -1, null, null, null),
        DialectContext.defaults()));
    assertNotNull(new OpenAiResponsesDialect().open(new ExchangeRequest("post", "http", null, -1, "/responses", null,
        null), DialectContext.defaults()));
  }

  @Test
  void sessionsShareTheLimitsOfOneContext() {
    OpenAiResponsesDialect dialect = new OpenAiResponsesDialect();
    DialectContext context = DialectContext.defaults();
    ExchangeRequest request = new ExchangeRequest("POST", "https", "api.openai.com", 443, "/v1/responses", null, null);
    ResponsesLimits first = ResponsesLimits.forContext(null, context);
    assertTrue(first == ResponsesLimits.forContext(first, context));
    assertTrue(first != ResponsesLimits.forContext(first, DialectContext.builder().build()));
    assertNotNull(dialect.open(request, context));
  }
}
