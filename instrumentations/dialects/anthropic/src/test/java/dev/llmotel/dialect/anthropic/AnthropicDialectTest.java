package dev.llmotel.dialect.anthropic;

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
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Which requests are Anthropic Messages calls, and under which provider. */
class AnthropicDialectTest {
  private static DialectSession open(String method, String host, int port, String path) {
    return new AnthropicDialect().open(new ExchangeRequest(method, "https", host, port, path, null, HeaderLookup.NONE),
        DialectContext.defaults());
  }

  private static String provider(String host, int port, String path) {
    DialectSession s = open("POST", host, port, path);
    assertNotNull(s, host + path);
    return s.facts().request.providerName;
  }

  @Test
  void messagesOnAnyHostWithOrWithoutPrefixOrTrailingSlash() {
    assertEquals("anthropic", provider("api.anthropic.com", -1, "/v1/messages"));
    assertEquals("anthropic", provider("api.anthropic.com", -1, "/v1/messages/"));
    assertEquals("anthropic", provider("127.0.0.1", 8080, "/v1/messages"), "a proxy or simulator: the protocol's name");
    assertEquals("anthropic", provider("litellm.internal", 4000, "/anthropic/v1/messages"));
    assertEquals("openrouter", provider("openrouter.ai", -1, "/api/v1/messages"), "a listed host keeps its provider");
    assertEquals("chat", open("POST", "api.anthropic.com", -1, "/v1/messages").facts().request.operationName);
  }

  @Test
  void otherRoutesAndMethodsAreNotThisDialects() {
    assertNull(open("POST", "api.anthropic.com", -1, "/v1/messages/count_tokens"));
    assertNull(open("POST", "api.anthropic.com", -1, "/v1/messages/batches"));
    assertNull(open("POST", "api.anthropic.com", -1, "/v1/messages/batches/msgbatch_01/cancel"));
    assertNull(open("GET", "api.anthropic.com", -1, "/v1/messages/batches/msgbatch_01"));
    assertNull(open("GET", "api.anthropic.com", -1, "/v1/messages"));
    assertNull(open("POST", "api.anthropic.com", -1, "/v1/models"));
    assertNull(open("POST", "api.openai.com", -1, "/v1/chat/completions"));
    assertNull(open("POST", "api.anthropic.com", -1, "/v1/mymessages"));
    assertNull(open("POST", "api.anthropic.com", -1, "/"));
  }

  @Test
  void registeredAsAServiceAndAskedBeforeTheGenericDialects() {
    Dialect found = StreamSupport.stream(ServiceLoader.load(Dialect.class).spliterator(), false)
        .filter(d -> d instanceof AnthropicDialect).findFirst().orElse(null);
    assertNotNull(found, "META-INF/services/dev.llmotel.dialect.Dialect");
    assertEquals("anthropic", found.name());
    assertEquals(Dialect.SPECIFIC, found.precedence());
    assertTrue(found.precedence() < Dialect.GENERIC);
  }
}
