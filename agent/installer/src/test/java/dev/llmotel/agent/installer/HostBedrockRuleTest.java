package dev.llmotel.agent.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostBedrockRuleTest {
  private static final String CONVERSE = "/model/anthropic.claude-3-5-sonnet-20241022-v2:0/converse";

  private static ExchangeRequest request(String path, String userAgent) {
    return new ExchangeRequest("POST", "https", "bedrock-runtime.us-east-1.amazonaws.com", 443, path, null,
        name -> "user-agent".equalsIgnoreCase(name) ? userAgent : null);
  }

  /** Stands in for the Bedrock dialect: a session for every request. */
  private static Dialect bedrock() {
    DialectSession session = (DialectSession) Proxy.newProxyInstance(HostBedrockRuleTest.class.getClassLoader(),
        new Class<?>[] {DialectSession.class}, (proxy, method, args) -> null);
    return new Dialect() {
      @Override public String name() { return HostBedrockRule.BEDROCK; }
      @Override public int precedence() { return Dialect.SPECIFIC; }
      @Override public DialectSession open(ExchangeRequest request, DialectContext context) { return session; }
    };
  }

  @Test
  void theAwsSdkV2sCallsFromTheVersionTheHostInstrumentsOnAreTheHosts() {
    assertTrue(HostBedrockRule.hostRecords(request(CONVERSE,
        "aws-sdk-java/2.59.1 md/io#sync md/http#Apache ua/2.1 os/Linux#6.8 lang/java#17.0.12")));
    assertTrue(HostBedrockRule.hostRecords(request(CONVERSE, "aws-sdk-java/2.25.63")));
    assertTrue(HostBedrockRule.hostRecords(request(CONVERSE, "app/1.0 aws-sdk-java/2.30.0-SNAPSHOT md/io#async")));
  }

  @Test
  void anythingElseStaysOurs() {
    assertFalse(HostBedrockRule.hostRecords(request(CONVERSE, "aws-sdk-java/2.25.62 md/io#sync")), "before Converse");
    assertFalse(HostBedrockRule.hostRecords(request(CONVERSE, "aws-sdk-java/2.20.160")));
    assertFalse(HostBedrockRule.hostRecords(request(CONVERSE, "aws-sdk-java/1.12.700 Linux")), "SDK v1");
    assertFalse(HostBedrockRule.hostRecords(request(CONVERSE, "python-requests/2.32")));
    assertFalse(HostBedrockRule.hostRecords(request(CONVERSE, "aws-sdk-java/2.x")));
    assertFalse(HostBedrockRule.hostRecords(request(CONVERSE, null)));
  }

  @Test
  void onlyTheBedrockDialectIsReplacedAndItDeclinesTheHostsCallsOnly() {
    Dialect bedrock = bedrock();
    Dialect other = new Dialect() {
      @Override public String name() { return "other"; }
      @Override public int precedence() { return Dialect.GENERIC; }
      @Override public DialectSession open(ExchangeRequest request, DialectContext context) { return null; }
    };
    List<Dialect> applied = HostBedrockRule.apply(Arrays.asList(other, bedrock));
    assertSame(other, applied.get(0));
    Dialect wrapped = applied.get(1);
    assertEquals(bedrock.name(), wrapped.name());
    assertEquals(bedrock.precedence(), wrapped.precedence());
    DialectContext context = DialectContext.builder().build();
    assertNull(wrapped.open(request(CONVERSE, "aws-sdk-java/2.59.1 md/io#sync"), context), "the host's");
    assertNotNull(wrapped.open(request(CONVERSE, "aws-sdk-java/2.20.1 md/io#sync"), context), "ours");
    assertNotNull(wrapped.open(request(CONVERSE, null), context), "ours");
    assertNotNull(bedrock.open(request(CONVERSE, "aws-sdk-java/2.59.1"), context), "the dialect itself would");
  }
}
