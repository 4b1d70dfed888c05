package dev.llmotel.hook.sdkretries;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.CarriedParent;
import dev.llmotel.hook.HookInstrumentation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * openai-java's and anthropic-java's async clients prepare a request on the application's thread
 * ({@code PrepareRequest.prepareAsync}, an already completed future) and send it from {@code thenComposeAsync}, on
 * another thread ({@code RetryingHttpClient.executeAsync}), where the application's span is not current. The span
 * current when the request was prepared ({@link CarriedParent#capture}) is carried to the thread that sends it, for
 * the length of {@code executeAsync}, which hands the call to the HTTP client (OkHttp's {@code enqueue}, which carries
 * it on); so the LLM span of an async call is a child of the application's span (Spring AI 2's streams, nested under
 * its observation's span). Needs none of the SDKs' types (no helper package): the request is only a key.
 */
public final class SdkAsyncInstrumentation implements HookInstrumentation {
  /** The {@link Bridges} slot the advice calls (a constant: inlined into the advice). */
  static final String SLOT = "sdk-retries/async";

  static final String OPENAI_PREPARE = "com.openai.core.PrepareRequest";
  static final String ANTHROPIC_PREPARE = "com.anthropic.core.PrepareRequest";

  @Override
  public String name() {
    return "sdk-async";
  }

  @Override
  public String[] typeNames() {
    return new String[] {
      OPENAI_PREPARE, ANTHROPIC_PREPARE, RetryLoopInstrumentation.OPENAI, RetryLoopInstrumentation.ANTHROPIC
    };
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice = new LinkedHashMap<>();
    advice.put(named("prepareAsync").and(isStatic()).and(returns(named("java.util.concurrent.CompletableFuture")))
        .and(takesArgument(0, named("com.openai.core.http.HttpRequest"))
            .or(takesArgument(0, named("com.anthropic.core.http.HttpRequest")))),
        SdkAsyncAdvice.Prepared.class.getName());
    advice.put(named("executeAsync").and(takesArguments(2))
        .and(takesArgument(1, named("com.openai.core.RequestOptions"))
            .or(takesArgument(1, named("com.anthropic.core.RequestOptions")))),
        SdkAsyncAdvice.Execute.class.getName());
    return advice;
  }

  @Override
  public String[] helperPackages() {
    return new String[0];
  }

  @Override
  public void install() {
    Bridges.register(SLOT, new CarryHook());
  }

  /** The span each prepared request was prepared under, until {@code executeAsync} takes it. */
  static final class CarryHook implements CallHook {
    private final CarriedParent.Handovers handovers = new CarriedParent.Handovers();

    @Override
    public Object enter(Object self, Object[] args) {
      if (!"prepared".equals(args[0])) return handovers.resume(self);
      try {
        // an already completed future (what the SDKs return); any other is left alone
        Object request = self instanceof CompletableFuture ? ((CompletableFuture<?>) self).getNow(null) : null;
        if (request != null) handovers.handOver(request);
      } catch (RuntimeException failed) {
        // a failed preparation: the SDK reports it, nothing to carry
      }
      return null;
    }

    @Override
    public void exit(Object token, Object result, Throwable thrown) {
      CarriedParent.Handovers.end(token);
    }
  }
}
