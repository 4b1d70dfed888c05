package dev.llmotel.hook.sdkretries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.CarriedParent;
import dev.llmotel.testkit.hook.AdviceChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * The async points against the real SDKs' class files (each SDK's {@code prepareAsync} and {@code executeAsync}, once),
 * and the carry: the span current where a request was prepared is the carried parent on the thread that runs
 * {@code executeAsync} with that request, during that call only.
 */
class SdkAsyncInstrumentationTest {
  private final SdkAsyncInstrumentation instrumentation = new SdkAsyncInstrumentation();

  private List<String> matched(String typeName) {
    TypePool pool = TypePool.Default.WithLazyResolution.of(
        ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
    TypeDescription type = pool.describe(typeName).resolve();
    List<String> names = new ArrayList<>();
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : instrumentation.advice().entrySet()) {
      String advice = e.getValue().substring(e.getValue().indexOf('$') + 1);
      for (MethodDescription m : type.getDeclaredMethods().filter(e.getKey())) names.add(advice + " " + m.getName());
    }
    return names;
  }

  @Test
  void eachSdkHasItsPrepareAsyncAndExecuteAsyncMatchedOnce() {
    assertEquals(List.of("Prepared prepareAsync"), matched(SdkAsyncInstrumentation.OPENAI_PREPARE));
    assertEquals(List.of("Prepared prepareAsync"), matched(SdkAsyncInstrumentation.ANTHROPIC_PREPARE));
    assertEquals(List.of("Execute executeAsync"), matched(RetryLoopInstrumentation.OPENAI));
    assertEquals(List.of("Execute executeAsync"), matched(RetryLoopInstrumentation.ANTHROPIC));
  }

  @Test
  void thePreparingThreadsSpanIsCarriedToExecuteAsyncOnly() throws Exception {
    ThreadLocal<Object> appSpan = new ThreadLocal<>();
    CarriedParent.install(appSpan::get);
    ExecutorService sdkThread = Executors.newSingleThreadExecutor();
    try {
      CallHook hook = new SdkAsyncInstrumentation.CarryHook();
      Object span = new Object();
      Object request = new Object();
      appSpan.set(span);
      hook.enter(CompletableFuture.completedFuture(request), new Object[] {"prepared"});
      appSpan.remove();
      Object seen = sdkThread.submit(() -> {
        Object token = hook.enter(request, new Object[] {"execute"});
        Object carried = CarriedParent.current();
        hook.exit(token, null, null);
        return carried;
      }).get(10, TimeUnit.SECONDS);
      assertSame(span, seen);
      assertNull(sdkThread.submit(CarriedParent::current).get(10, TimeUnit.SECONDS), "restored after executeAsync");
      assertNull(sdkThread.submit(() -> hook.enter(request, new Object[] {"execute"})).get(10, TimeUnit.SECONDS),
          "taken once");
      assertNull(hook.enter(new CompletableFuture<>(), new Object[] {"prepared"}), "a pending future: nothing");
    } finally {
      sdkThread.shutdown();
      CarriedParent.install(null);
    }
  }

  @Test
  void adviceUsesOnlyJdkAndBridgeTypes() {
    AdviceChecks.assertOnlyJdkAndBridgeTypes(SdkAsyncAdvice.class.getDeclaredClasses());
  }
}
