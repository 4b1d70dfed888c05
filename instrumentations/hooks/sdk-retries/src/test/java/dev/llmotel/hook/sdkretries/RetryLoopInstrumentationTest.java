package dev.llmotel.hook.sdkretries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.LogicalCall;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/** The matcher against the real libraries' class files, and the scope the hook opens and closes. */
class RetryLoopInstrumentationTest {
  private final RetryLoopInstrumentation instrumentation = new RetryLoopInstrumentation();

  private List<String> matched(String typeName) {
    ElementMatcher<? super MethodDescription> matcher = instrumentation.advice().keySet().iterator().next();
    TypePool pool = TypePool.Default.WithLazyResolution.of(
        ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
    TypeDescription type = pool.describe(typeName).resolve();
    List<String> names = new ArrayList<>();
    for (MethodDescription m : type.getDeclaredMethods().filter(matcher)) names.add(m.toGenericString());
    return names;
  }

  @Test
  void eachLibraryHasExactlyItsBlockingRetryLoopMatched() {
    assertEquals(1, matched(RetryLoopInstrumentation.OPENAI).size(), matched(RetryLoopInstrumentation.OPENAI)
        .toString());
    assertTrue(matched(RetryLoopInstrumentation.OPENAI).get(0).contains("HttpResponse com.openai.core.http"
        + ".RetryingHttpClient.execute("), matched(RetryLoopInstrumentation.OPENAI).toString());
    assertEquals(1, matched(RetryLoopInstrumentation.ANTHROPIC).size());
    assertTrue(matched(RetryLoopInstrumentation.ANTHROPIC).get(0).contains(".execute(com.anthropic.core.http"
        + ".HttpRequest,com.anthropic.core.RequestOptions)"), matched(RetryLoopInstrumentation.ANTHROPIC).toString());
    List<String> lc4j = matched(RetryLoopInstrumentation.LANGCHAIN4J);
    assertEquals(1, lc4j.size(), lc4j.toString());
    assertTrue(lc4j.get(0).contains("withRetry(java.util.concurrent.Callable<T>,int)"), lc4j.toString());
    List<String> spring = matched(RetryLoopInstrumentation.SPRING_RETRY);
    assertEquals(1, spring.size(), spring.toString());
    assertTrue(spring.get(0).contains("doExecute("), spring.toString());
    List<String> core = matched(RetryLoopInstrumentation.SPRING_CORE_RETRY);
    assertEquals(1, core.size(), core.toString());
    assertTrue(core.get(0).contains("execute(org.springframework.core.retry.Retryable<"), core.toString());
  }

  @Test
  void theHookOpensOneScopePerThreadAndANestedLoopJoinsIt() {
    CallHook hook = new RetryLoopInstrumentation.LoopHook();
    Object outer = hook.enter(null, null);
    assertNotNull(outer);
    assertSame(outer, LogicalCall.current());
    assertNull(hook.enter(null, null), "a nested loop joins the outer call");
    List<Throwable> told = new ArrayList<>();
    ((LogicalCall) outer).attach("state", (call, thrown) -> told.add(thrown));
    IllegalStateException boom = new IllegalStateException("x");
    hook.exit(outer, null, boom);
    assertNull(LogicalCall.current());
    assertTrue(((LogicalCall) outer).exited());
    assertEquals(1, told.size());
    assertSame(boom, told.get(0));
  }
}
