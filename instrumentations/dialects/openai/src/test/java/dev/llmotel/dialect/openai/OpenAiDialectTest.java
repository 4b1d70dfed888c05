package dev.llmotel.dialect.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class OpenAiDialectTest {
  private static DialectSession open(String method, String host, int port, String path) {
    return new OpenAiDialect().open(new ExchangeRequest(method, "https", host, port, path, "api-version=2024-10-21",
        HeaderLookup.NONE), DialectContext.defaults());
  }

  private static String operation(String path) {
    DialectSession s = open("POST", "localhost", 4000, path);
    return s == null ? null : s.facts().request.operationName;
  }

  @Test
  void matchesTheOpenAiRoutesWithAndWithoutV1() {
    assertEquals("chat", operation("/v1/chat/completions"));
    assertEquals("chat", operation("/chat/completions"));
    assertEquals("chat", operation("/chat/completions/"));
    assertEquals("chat", operation("/api/agents/v1/chat/completions"));
    assertEquals("chat", operation("/v1beta/openai/chat/completions"));
    assertEquals("embeddings", operation("/v1/embeddings"));
    assertEquals("embeddings", operation("/embeddings"));
    assertEquals("text_completion", operation("/v1/completions"));
    assertEquals("text_completion", operation("/completions"));
    assertNull(operation("/v1/models"));
    assertNull(operation("/v1/responses"));
    assertNull(operation("/v1/messages"));
    assertNull(operation("/api/chat"));
    assertNull(operation("/v1/chat/completions/chatcmpl-123"));
    assertNull(operation("/"));
    assertNull(open("GET", "api.openai.com", 443, "/v1/chat/completions"));
  }

  @Test
  void azureDeploymentRoutes() {
    DialectSession s = open("POST", "my-resource.openai.azure.com", 443,
        "/openai/deployments/gpt-4o-prod/chat/completions");
    assertEquals("azure.ai.openai", s.facts().request.providerName);
    assertEquals("chat", s.facts().request.operationName);
    assertEquals("gpt-4o-prod", s.facts().request.model);

    // behind a proxy that serves Azure-style routes, the route still tells the provider
    DialectSession proxied = open("POST", "litellm.internal", 4000, "/openai/deployments/emb-small/embeddings");
    assertEquals("azure.ai.openai", proxied.facts().request.providerName);
    assertEquals("embeddings", proxied.facts().request.operationName);
    assertEquals("emb-small", proxied.facts().request.model);

    // a model in the body wins over the deployment name
    DialectSession withModel = open("POST", "x.openai.azure.com", 443, "/openai/deployments/dep/chat/completions");
    Calls.run(withModel, "{\"model\":\"gpt-4o\",\"messages\":[]}", 200, Calls.JSON, "{}", 100, true);
    assertEquals("gpt-4o", withModel.facts().request.model);

    // Azure's v1 routes have no deployment: the host tells the provider
    DialectSession v1 = open("POST", "x.openai.azure.com", 443, "/openai/v1/chat/completions");
    assertEquals("azure.ai.openai", v1.facts().request.providerName);
    assertNull(v1.facts().request.model);
  }

  @Test
  void providerFromHost() {
    assertEquals("groq", open("POST", "api.groq.com", 443, "/openai/v1/chat/completions").facts().request.providerName);
  }

  @Test
  void registeredAsAService() {
    boolean found = false;
    for (Dialect d : ServiceLoader.load(Dialect.class)) found |= d instanceof OpenAiDialect;
    assertEquals(true, found);
    assertEquals("openai", new OpenAiDialect().name());
  }

  @Test
  void openNeverThrows() {
    assertNull(new OpenAiDialect().open(new ExchangeRequest(null, null, null, -1, null, null, null),
        DialectContext.defaults()));
    assertNotNull(new OpenAiDialect().open(new ExchangeRequest("post", "http", null, -1, "/chat/completions", null,
        null), DialectContext.defaults()));
  }
}
