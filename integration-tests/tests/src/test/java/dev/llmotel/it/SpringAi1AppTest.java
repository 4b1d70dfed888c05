package dev.llmotel.it;

import java.util.List;

/**
 * Spring AI 1.1.2 on Spring Boot 3.5.7 ({@code apps/spring-ai-1}): OpenAiApi and AnthropicApi over Spring's RestClient
 * (calls) and WebClient (streams). The starters bring no HTTP client library, so both run on the JDK's HttpClient
 * ({@code app-no-netty.jar}); with Reactor Netty on the class path ({@code app.jar}, as spring-boot-starter-webflux
 * brings it) both pick Reactor Netty. A 429 is a NonTransientAiException, never retried (one attempt).
 */
class SpringAi1AppTest extends SpringAiAppTest {
  private static final String JDK = "RestClient -> JdkClientHttpRequestFactory, WebClient -> JdkClientHttpConnector";
  private static final String NETTY =
      "RestClient -> ReactorClientHttpRequestFactory, WebClient -> ReactorClientHttpConnector";

  @Override
  String app() { return "spring-ai-1"; }

  @Override
  List<Variant> variants() {
    List<Mode> both = List.of(new Mode("boot", 1), new Mode("manual", 1));
    return List.of(new Variant("app-no-netty.jar", both, false, JDK),
        new Variant("app.jar", both, true, NETTY));
  }

  @Override
  Variant observed() {
    return new Variant("app-observed.jar", List.of(new Mode("observed", 1)), false, JDK);
  }

  /** Boot's automatic context propagation: a stream's request is sent where its observation is the current span. */
  @Override
  List<String> observedJvmArgs() { return List.of("-Dspring.reactor.context-propagation=auto"); }

  @Override
  boolean observedStreamsApart() { return false; }

  @Override
  String rateLimitException() { return "org.springframework.ai.retry.NonTransientAiException"; }
}
