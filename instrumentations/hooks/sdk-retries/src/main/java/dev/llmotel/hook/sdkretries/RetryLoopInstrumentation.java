package dev.llmotel.hook.sdkretries;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.LogicalCall;
import dev.llmotel.hook.HookInstrumentation;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The retry loops of the libraries that retry LLM calls themselves: each run of one is a {@link LogicalCall}, and the
 * HTTP exchanges begun inside it are its attempts (the telemetry records one logical span above them when there was
 * more than one). Knows nothing of HTTP or of LLMs; needs none of the libraries' types (no helper package).
 *
 * <ul>
 *   <li>openai-java and anthropic-java: {@code RetryingHttpClient.execute(HttpRequest, RequestOptions)}, the blocking
 *       loop; and {@code executeAsync(HttpRequest, RequestOptions)}, whose retries run on the SDK's sleeper thread
 *       ({@link AsyncRetries}: the call ends when the returned future completes; each attempt is started by a
 *       Kotlin-generated {@code executeAsync$executeWithRetries}, matched by its shape, and the attempt counter its
 *       runs share carries the call to the sleeper thread; where the attempt's HTTP client runs it on yet another
 *       thread, that client's hook carries it on, as the OkHttp hook does from {@code enqueue});
 *   <li>LangChain4j: {@code RetryUtils.RetryPolicy.withRetry(Callable, int)}, which every {@code withRetry} runs;
 *   <li>Spring AI's retry templates: spring-retry's {@code RetryTemplate.doExecute} (Spring AI 1.x) and Spring
 *       Framework 7's {@code org.springframework.core.retry.RetryTemplate.execute(Retryable)} (Spring AI 2.x). An
 *       application's own retry template around several LLM calls makes them attempts of one logical call.
 * </ul>
 */
public final class RetryLoopInstrumentation implements HookInstrumentation {
  /** The {@link Bridges} slot the advice calls (a constant: inlined into the advice). */
  static final String SLOT = "sdk-retries/loop";
  /** The slots of the asynchronous loop's advice ({@link AsyncRetries}). */
  static final String ASYNC_SLOT = "sdk-retries/async-call";
  static final String ATTEMPT_SLOT = "sdk-retries/async-attempt";

  static final String OPENAI = "com.openai.core.http.RetryingHttpClient";
  static final String ANTHROPIC = "com.anthropic.core.http.RetryingHttpClient";
  static final String LANGCHAIN4J = "dev.langchain4j.internal.RetryUtils$RetryPolicy";
  static final String SPRING_RETRY = "org.springframework.retry.support.RetryTemplate";
  static final String SPRING_CORE_RETRY = "org.springframework.core.retry.RetryTemplate";

  @Override
  public String name() {
    return "sdk-retries";
  }

  @Override
  public String[] typeNames() {
    return new String[] {OPENAI, ANTHROPIC, LANGCHAIN4J, SPRING_RETRY, SPRING_CORE_RETRY};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    ElementMatcher.Junction<MethodDescription> stainlessExecute = named("execute").and(takesArguments(2))
        .and(takesArgument(1, named("com.openai.core.RequestOptions"))
            .or(takesArgument(1, named("com.anthropic.core.RequestOptions"))));
    ElementMatcher.Junction<MethodDescription> langchain4j = named("withRetry").and(not(isStatic()))
        .and(takesArguments(2)).and(takesArgument(0, named("java.util.concurrent.Callable")));
    ElementMatcher.Junction<MethodDescription> springRetry = named("doExecute").and(takesArguments(3))
        .and(takesArgument(0, named("org.springframework.retry.RetryCallback")));
    ElementMatcher.Junction<MethodDescription> springCoreRetry = named("execute").and(takesArguments(1))
        .and(takesArgument(0, named("org.springframework.core.retry.Retryable")));
    Map<ElementMatcher<? super MethodDescription>, String> advice = new LinkedHashMap<>();
    advice.put(stainlessExecute.or(langchain4j).or(springRetry).or(springCoreRetry), RetryLoopAdvice.class.getName());
    advice.put(AsyncRetries.executeAsync(), AsyncRetryAdvice.class.getName());
    advice.put(AsyncRetries.attemptMethod(), AsyncAttemptAdvice.class.getName());
    return advice;
  }

  @Override
  public String[] helperPackages() {
    return new String[0];
  }

  @Override
  public void install() {
    Bridges.register(SLOT, new LoopHook());
    Bridges.register(ASYNC_SLOT, new AsyncRetries.CallHookImpl());
    Bridges.register(ATTEMPT_SLOT, new AsyncRetries.AttemptHook());
  }

  /** Opens the logical call on entry (unless one is open on this thread) and closes it on exit. */
  static final class LoopHook implements CallHook {
    @Override
    public Object enter(Object self, Object[] args) {
      return LogicalCall.enter();
    }

    @Override
    public void exit(Object token, Object result, Throwable thrown) {
      ((LogicalCall) token).exit(thrown);
    }
  }
}
