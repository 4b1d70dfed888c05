package dev.llmotel.dialect.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class OllamaDialectTest {
  private static DialectSession open(String method, String host, int port, String path) {
    return new OllamaDialect().open(new ExchangeRequest(method, "http", host, port, path, null, HeaderLookup.NONE),
        DialectContext.defaults());
  }

  private static String operation(String path) {
    DialectSession s = open("POST", "gpu-box.lan", 8080, path);
    return s == null ? null : s.facts().request.operationName;
  }

  @Test
  void matchesOllamasInferenceRoutesOnAnyHostAndBehindPrefixes() {
    assertEquals("chat", operation("/api/chat"));
    assertEquals("chat", operation("/api/chat/"));
    assertEquals("chat", operation("/ollama/api/chat"));
    assertEquals("text_completion", operation("/api/generate"));
    assertEquals("embeddings", operation("/api/embed"));
    assertEquals("embeddings", operation("/api/embeddings"));
    assertNull(operation("/api/tags"));
    assertNull(operation("/api/pull"));
    assertNull(operation("/api/show"));
    assertNull(operation("/api/chat/completions"));
    assertNull(operation("/api/agents/chat"));
    assertNull(operation("/v1/chat/completions"));
    assertNull(operation("/api/chats"));
    assertNull(open("GET", "localhost", 11434, "/api/chat"));
  }

  @Test
  void providerIsOllamaUntilTheBodyShowsItIsNot() {
    DialectSession s = open("POST", "localhost", 11434, "/api/chat");
    assertNull(s.facts().request.providerName, "set once the body is known to be Ollama's");
    assertNull(s.facts().request.model);
    assertEquals("chat", s.facts().request.operationName);
  }

  @Test
  void askedBeforeTheGenericDialectAndRegistered() {
    OllamaDialect d = new OllamaDialect();
    assertEquals("ollama", d.name());
    assertEquals(Dialect.SPECIFIC, d.precedence());
    assertTrue(StreamSupport.stream(ServiceLoader.load(Dialect.class).spliterator(), false)
        .anyMatch(x -> x instanceof OllamaDialect), "META-INF/services registration");
  }
}
