package dev.llmotel.hook.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.CarriedParent;
import dev.llmotel.hook.HookInstrumentation;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * OkHttp's {@code enqueue}: the interceptor of {@link OkHttpInstrumentation} runs on a dispatcher thread, where the
 * application's span is not current. {@code RealCall$AsyncCall} is created on the thread that enqueues (the
 * application's) and run on the dispatcher's: its constructor takes the current span ({@link CarriedParent#capture})
 * and its run carries it ({@link CarriedParent#resume} / {@link CarriedParent#restore}), so the LLM span begun in the
 * interceptor is a child of the span the application had when it enqueued the call (openai-java's and anthropic-java's
 * async clients, Spring AI 2 streams). OkHttp 4.x / 5.x: {@code okhttp3.internal.connection.RealCall$AsyncCall#run};
 * 3.x: {@code okhttp3.RealCall$AsyncCall#execute}. A thread with a span of its own keeps it. Needs no OkHttp type.
 */
public final class OkHttpEnqueueInstrumentation implements HookInstrumentation {
  /** The {@link Bridges} slot the advice calls (a constant: inlined into the advice). */
  static final String SLOT = "okhttp-3.0/async-call";

  static final String ASYNC_CALL_3 = "okhttp3.RealCall$AsyncCall";
  static final String ASYNC_CALL_4 = "okhttp3.internal.connection.RealCall$AsyncCall";

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public String[] typeNames() {
    return new String[] {ASYNC_CALL_3, ASYNC_CALL_4};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice = new LinkedHashMap<>();
    advice.put(isConstructor(), OkHttpAsyncCallAdvice.Created.class.getName());
    advice.put(named("run").or(named("execute")).and(takesArguments(0)).and(returns(void.class)),
        OkHttpAsyncCallAdvice.Run.class.getName());
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

  /** The span each enqueued call was created under, until its run takes it (a call never run is dropped). */
  static final class CarryHook implements CallHook {
    private final CarriedParent.Handovers handovers = new CarriedParent.Handovers();

    @Override
    public Object enter(Object asyncCall, Object[] args) {
      if (!"created".equals(args[0])) return handovers.resume(asyncCall);
      handovers.handOver(asyncCall);
      return null;
    }

    @Override
    public void exit(Object token, Object result, Throwable thrown) {
      CarriedParent.Handovers.end(token);
    }
  }
}
