package dev.llmotel.hook.sdkretries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.RequestOptions;
import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.LogicalCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import kotlin.jvm.internal.Ref;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/** The async hooks' matchers against the real SDKs' class files, and the call carried from thread to thread. */
class AsyncRetriesTest {
  private static List<String> matched(String typeName, ElementMatcher<? super MethodDescription> matcher) {
    TypePool pool = TypePool.Default.WithLazyResolution.of(
        ClassFileLocator.ForClassLoader.of(AsyncRetriesTest.class.getClassLoader()));
    TypeDescription type = pool.describe(typeName).resolve();
    List<String> names = new ArrayList<>();
    for (MethodDescription m : type.getDeclaredMethods().filter(matcher)) names.add(m.getName());
    return names;
  }

  @Test
  void eachSdkHasItsExecuteAsyncAndExactlyItsAttemptMethodMatched() {
    assertEquals(Collections.singletonList("executeAsync"),
        matched(RetryLoopInstrumentation.ANTHROPIC, AsyncRetries.executeAsync()));
    assertEquals(Collections.singletonList("executeAsync"),
        matched(RetryLoopInstrumentation.OPENAI, AsyncRetries.executeAsync()));
    assertEquals(Collections.singletonList("executeAsync$executeWithRetries"),
        matched(RetryLoopInstrumentation.ANTHROPIC, AsyncRetries.attemptMethod()));
    // openai-java 4.x: a local function of executeAsyncInternal, with a public access$ bridge that is not matched
    assertEquals(Collections.singletonList("executeAsyncInternal$executeWithRetries"),
        matched(RetryLoopInstrumentation.OPENAI, AsyncRetries.attemptMethod()));
    for (String other : new String[] {RetryLoopInstrumentation.LANGCHAIN4J, RetryLoopInstrumentation.SPRING_RETRY,
        RetryLoopInstrumentation.SPRING_CORE_RETRY}) {
      assertEquals(Collections.emptyList(), matched(other, AsyncRetries.executeAsync()), other);
      assertEquals(Collections.emptyList(), matched(other, AsyncRetries.attemptMethod()), other);
    }
    // the blocking loop's matcher leaves the async methods alone
    ElementMatcher<? super MethodDescription> all = new RetryLoopInstrumentation().advice().keySet().iterator().next();
    assertEquals(Collections.singletonList("execute"), matched(RetryLoopInstrumentation.ANTHROPIC, all));
  }

  @Test
  void theRealClientsHaveTheAttemptMethodAndAnotherClassHasNot() throws Exception {
    assertTrue(AsyncRetries.SUPPORTED.get(Class.forName(RetryLoopInstrumentation.ANTHROPIC)));
    assertTrue(AsyncRetries.SUPPORTED.get(Class.forName(RetryLoopInstrumentation.OPENAI)));
    assertFalse(AsyncRetries.SUPPORTED.get(Unsupported.class));
    assertNull(new AsyncRetries.CallHookImpl().enter(new Unsupported(), null), "no logical call: turned off");
    assertNull(LogicalCall.current());
  }

  @Test
  void theCallIsCarriedToTheRetryThreadAndEndsWhenTheFutureCompletes() throws Exception {
    CallHook async = new AsyncRetries.CallHookImpl();
    CallHook attempt = new AsyncRetries.AttemptHook();
    Ref.IntRef counter = new Ref.IntRef();
    Object[] args = {true, new Object(), counter, new Object(), null};

    // the application's thread: executeAsync, its first attempt, its return
    LogicalCall call = (LogicalCall) async.enter(new FakeClient(), null);
    assertNotNull(call);
    List<Throwable> told = new ArrayList<>();
    call.attach("state", (c, thrown) -> told.add(thrown));
    assertNull(attempt.enter(null, args), "the first attempt runs inside the call already");
    CompletableFuture<String> future = new CompletableFuture<>();
    CompletableFuture<String> seenByApp = future.thenApply(s -> s + "!");
    async.exit(call, future, null);
    assertNull(LogicalCall.current(), "off the application's thread");
    assertFalse(call.exited(), "open until the future completes");

    // the sleeper's thread: a retry
    AtomicReference<LogicalCall> duringRetry = new AtomicReference<>();
    AtomicReference<LogicalCall> afterRetry = new AtomicReference<>(call);
    Thread sleeper = new Thread(() -> {
      Object token = attempt.enter(null, args);
      duringRetry.set(LogicalCall.current());
      if (token != null) attempt.exit(token, null, null);
      afterRetry.set(LogicalCall.current());
    });
    sleeper.start();
    sleeper.join();
    assertSame(call, duringRetry.get());
    assertNull(afterRetry.get());

    IOException failure = new IOException("x");
    future.completeExceptionally(failure);
    assertTrue(call.exited());
    assertEquals(Collections.singletonList(failure), told, "the call's own exception, unwrapped");
    assertTrue(seenByApp.isCompletedExceptionally(), "the application's stages see what they saw");
    // another counter is no attempt of this call
    assertNull(attempt.enter(null, new Object[] {new Ref.IntRef()}));
    assertNull(attempt.enter(null, args), "nor is anything after the call's end");
  }

  @Test
  void aThrowingExecuteAsyncEndsTheCallAtOnce() {
    CallHook async = new AsyncRetries.CallHookImpl();
    LogicalCall call = (LogicalCall) async.enter(new FakeClient(), null);
    IllegalStateException boom = new IllegalStateException();
    async.exit(call, null, boom);
    assertTrue(call.exited());
    assertNull(LogicalCall.current());
  }

  /** Has the attempt method's shape. */
  static final class FakeClient {
    @SuppressWarnings("unused")
    private static CompletableFuture<Object> executeAsync$executeWithRetries(boolean b, FakeClient self,
        Ref.IntRef retries, Object request, RequestOptions options) {
      return null;
    }
  }

  /** Has not. */
  static final class Unsupported {
    @SuppressWarnings("unused")
    private static CompletableFuture<Object> executeAsync$executeWithRetries(boolean b, Object request) {
      return null;
    }
  }
}
