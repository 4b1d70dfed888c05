package dev.llmotel.dialect.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class GeminiDialectTest {
  private static final String VERTEX_PATH =
      "/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent";

  private static CallFacts open(String method, String host, int port, String path) {
    DialectSession s = new GeminiDialect().open(
        new ExchangeRequest(method, "https", host, port, path, null, HeaderLookup.NONE), DialectContext.defaults());
    return s == null ? null : s.facts();
  }

  private static CallFacts open(String host, String path) {
    return open("POST", host, 443, path);
  }

  @Test
  void theMethodAfterTheModelNamesTheOperation() {
    String host = "generativelanguage.googleapis.com";
    assertEquals("generate_content", open(host, "/v1beta/models/gemini-2.5-flash:generateContent")
        .request.operationName);
    assertEquals("generate_content", open(host, "/v1/models/gemini-2.5-flash:generateContent").request.operationName);
    CallFacts stream = open(host, "/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertEquals("generate_content", stream.request.operationName);
    assertTrue(stream.stream.streamed, "the route asks for a stream");
    assertFalse(open(host, "/v1beta/models/gemini-2.5-flash:generateContent").stream.streamed);
    assertEquals("embeddings", open(host, "/v1beta/models/text-embedding-004:embedContent").request.operationName);
    assertEquals("embeddings", open(host, "/v1beta/models/gemini-embedding-001:batchEmbedContents")
        .request.operationName);
    assertEquals("gemini-2.5-flash", open(host, "/v1beta/models/gemini-2.5-flash%3AgenerateContent").request.model,
        "an escaped colon");
    assertEquals("gemini-2.5-flash", open(host, "/v1beta/models/gemini-2.5-flash:generateContent/").request.model);
  }

  @Test
  void otherMethodsAndPathsAreNotGeminis() {
    String host = "generativelanguage.googleapis.com";
    assertNull(open(host, "/v1beta/models/gemini-2.5-flash:countTokens"));
    assertNull(open(host, "/v1beta/models/gemini-2.5-flash"));
    assertNull(open(host, "/v1beta/models"));
    assertNull(open(host, "/v1beta/tunedModels/my-model:generateContent"));
    assertNull(open(host, "/v1beta/models/:generateContent"));
    assertNull(open(host, "/v1/chat/completions"));
    assertNull(open("GET", host, 443, "/v1beta/models/gemini-2.5-flash:generateContent"));
  }

  @Test
  void providerByGooglesHostElseByThePathShape() {
    assertEquals("gcp.gemini", open("generativelanguage.googleapis.com",
        "/v1beta/models/gemini-2.5-flash:generateContent").request.providerName);
    assertEquals("gcp.vertex_ai", open("us-central1-aiplatform.googleapis.com", VERTEX_PATH).request.providerName);
    assertEquals("gcp.vertex_ai", open("aiplatform.googleapis.com", VERTEX_PATH).request.providerName);
    assertEquals("gemini-2.5-pro", open("aiplatform.googleapis.com", VERTEX_PATH).request.model);
    // a proxy or gateway: the path decides
    assertEquals("gcp.vertex_ai", open("gateway.internal", "/vertex" + VERTEX_PATH).request.providerName);
    assertEquals("gcp.gemini", open("gateway.internal", "/gemini/v1beta/models/gemini-2.5-flash:generateContent")
        .request.providerName);
    assertEquals("gcp.gemini", open("POST", "localhost", 11434, "/v1beta/models/gemma3:generateContent")
        .request.providerName, "Ollama's port says nothing about a Gemini path");
  }

  @Test
  void finishReasonsInTheConventionsTerms() {
    assertEquals("stop", GeminiResponse.finishReason("STOP", false));
    assertEquals("tool_call", GeminiResponse.finishReason("STOP", true));
    assertEquals("length", GeminiResponse.finishReason("MAX_TOKENS", false));
    for (String filtered : new String[] {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"}) {
      assertEquals("content_filter", GeminiResponse.finishReason(filtered, false), filtered);
    }
    assertEquals("malformed_function_call", GeminiResponse.finishReason("MALFORMED_FUNCTION_CALL", false));
    assertEquals("other", GeminiResponse.finishReason("OTHER", false));
  }

  @Test
  void askedBeforeTheGenericDialectAndRegistered() {
    GeminiDialect d = new GeminiDialect();
    assertEquals("gemini", d.name());
    assertEquals(Dialect.SPECIFIC, d.precedence());
    assertTrue(StreamSupport.stream(ServiceLoader.load(Dialect.class).spliterator(), false)
        .anyMatch(x -> x instanceof GeminiDialect), "META-INF/services registration");
  }
}
