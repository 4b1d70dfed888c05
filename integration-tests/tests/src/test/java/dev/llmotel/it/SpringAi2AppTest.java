package dev.llmotel.it;

import java.util.List;

/**
 * Spring AI 2.0.1 on Spring Boot 4.0.7 ({@code apps/spring-ai-2}): OpenAI and Anthropic through the official SDKs
 * (openai-java, anthropic-java) on Spring AI's own OkHttp clients, whatever else is on the class path: the starters'
 * class path, with Reactor Netty ({@code app.jar}: Boot's auto-configuration, then models built by hand, in one JVM),
 * and one without it, with tracing on ({@code app-observed.jar}); {@code app-no-netty.jar} is built too. The OpenAI
 * SDK retries a 429 itself: three retries (four HTTP attempts) under Boot's default
 * {@code spring.ai.openai.max-retries}, one attempt with {@code maxRetries(0)}.
 */
class SpringAi2AppTest extends SpringAiAppTest {
  @Override
  String app() { return "spring-ai-2"; }

  @Override
  List<Variant> variants() {
    return List.of(new Variant("app.jar", List.of(new Mode("boot", 4), new Mode("manual", 1)), false, "OkHttp"));
  }

  /** Also the class path without Reactor Netty (app-no-netty.jar's, plus tracing). */
  @Override
  Variant observed() {
    return new Variant("app-observed.jar", List.of(new Mode("observed", 4)), false, "OkHttp");
  }

  @Override
  String rateLimitException() { return "com.openai.errors.RateLimitException"; }

  /**
   * Spring AI 2 starts a stream from {@code Flux.create} (openai-java's async client) or {@code Mono.fromFuture}
   * (anthropic-java's) below a {@code contextWrite} of its observation, which Reactor never makes current there; the
   * agent opens that GenAI observation's scope while the source is subscribed (hook {@code reactor-observation}) and
   * carries the span to OkHttp's dispatcher thread ({@code OkHttpEnqueueInstrumentation}): streams nest like calls.
   */
  @Override
  boolean observedStreamsApart() { return false; }
}
