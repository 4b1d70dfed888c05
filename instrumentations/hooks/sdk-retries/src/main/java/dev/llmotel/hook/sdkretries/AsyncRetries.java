package dev.llmotel.hook.sdkretries;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.config.AgentLog;
import dev.llmotel.exchange.LogicalCall;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * openai-java's and anthropic-java's {@code executeAsync}: one logical call over attempts started on several threads.
 *
 * <ul>
 *   <li>{@code executeAsync(HttpRequest, RequestOptions)} (public API): opens the call on the application's thread,
 *       takes it off that thread when the method returns, and exits it when the returned future completes (with its
 *       exception, if any); a method that threw exits it at once. A client class without the attempt method below
 *       (another compiler, another version) gets no logical call: one debug line, and each attempt is a span of its
 *       own, as before.
 *   <li>The attempt method: the Kotlin compiler names the local function {@code executeWithRetries} of {@code
 *       executeAsync} {@code executeAsync$executeWithRetries} (anthropic-java 2.x) or, in openai-java 4.x, of its
 *       {@code executeAsyncInternal}, {@code executeAsyncInternal$executeWithRetries}; it is matched by its shape
 *       (static, a name that starts with {@code executeAsync} and contains {@code $executeWithRetries}, so not the
 *       {@code access$} bridge, no lambda, returns a {@code
 *       CompletableFuture}, takes the SDK's {@code RequestOptions} and exactly one {@code kotlin.jvm.internal.Ref$IntRef}:
 *       the attempt counter all runs of one call share). Its first run, on the application's thread inside {@code
 *       executeAsync}, makes that counter carry the call; a retry, run on the sleeper's thread, binds the carried call
 *       while it starts its HTTP attempt.
 * </ul>
 */
final class AsyncRetries {
  static final String COUNTER = "kotlin.jvm.internal.Ref$IntRef";
  static final String FUTURE = "java.util.concurrent.CompletableFuture";

  private AsyncRetries() {}

  static ElementMatcher.Junction<MethodDescription> executeAsync() {
    return named("executeAsync").and(takesArguments(2))
        .and(takesArgument(1, named("com.openai.core.RequestOptions"))
            .or(takesArgument(1, named("com.anthropic.core.RequestOptions"))));
  }

  static ElementMatcher.Junction<MethodDescription> attemptMethod() {
    return new ElementMatcher.Junction.AbstractBase<MethodDescription>() {
      @Override
      public boolean matches(MethodDescription m) {
        if (m == null || !m.isMethod()) return false;
        List<String> types = new ArrayList<>();
        for (ParameterDescription p : m.getParameters()) types.add(p.getType().asErasure().getName());
        return isAttemptMethod(m.getName(), m.isStatic(), m.getReturnType().asErasure().getName(), types);
      }

      @Override
      public String toString() {
        return "executeAsync*$executeWithRetries(..., Ref$IntRef, ..., RequestOptions)";
      }
    };
  }

  /** The attempt method's shape, for the matcher and for the check at run time. */
  static boolean isAttemptMethod(String name, boolean isStatic, String returnType, List<String> parameterTypes) {
    if (!isStatic || !name.startsWith("executeAsync") || !name.contains("$executeWithRetries")
        || name.contains("lambda") || !FUTURE.equals(returnType)) {
      return false;
    }
    int counters = 0;
    boolean options = false;
    for (String type : parameterTypes) {
      if (COUNTER.equals(type)) counters++;
      if (type.equals("com.openai.core.RequestOptions") || type.equals("com.anthropic.core.RequestOptions")) {
        options = true;
      }
    }
    return counters == 1 && options;
  }

  /** Whether a client class has the attempt method (so its retries will be bound); logged once when not. */
  static final ClassValue<Boolean> SUPPORTED = new ClassValue<Boolean>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        for (Method m : type.getDeclaredMethods()) {
          List<String> types = new ArrayList<>();
          for (Class<?> p : m.getParameterTypes()) types.add(p.getName());
          if (isAttemptMethod(m.getName(), Modifier.isStatic(m.getModifiers()), m.getReturnType().getName(), types)) {
            return Boolean.TRUE;
          }
        }
      } catch (Throwable ignored) {
        // as if absent
      }
      AgentLog.debug("hook sdk-retries: " + type.getName() + " has no executeAsync$executeWithRetries attempt method"
          + " of the known shape; its executeAsync retries are not grouped (each attempt is a span of its own)");
      return Boolean.FALSE;
    }
  };

  /** The hook of {@code executeAsync}: the token is the open logical call. */
  static final class CallHookImpl implements CallHook {
    @Override
    public Object enter(Object self, Object[] args) {
      if (self == null || !SUPPORTED.get(self.getClass())) return null;
      return LogicalCall.enter();
    }

    @Override
    public void exit(Object token, Object result, Throwable thrown) {
      final LogicalCall call = (LogicalCall) token;
      call.leaveThread();
      if (thrown == null && result instanceof CompletableFuture) {
        // a dependent stage of ours: the application's future, its value and its callbacks stay as they are
        ((CompletableFuture<?>) result).whenComplete((value, error) -> call.exit(unwrap(error)));
      } else {
        call.exit(thrown);
      }
    }

    private static Throwable unwrap(Throwable error) {
      if ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
        return error.getCause();
      }
      return error;
    }
  }

  /** The hook of the attempt method: the token is the call it bound on this thread, to take off again. */
  static final class AttemptHook implements CallHook {
    @Override
    public Object enter(Object self, Object[] args) {
      Object counter = counter(args);
      if (counter == null) return null;
      LogicalCall current = LogicalCall.current();
      if (current != null) {
        // the first run, inside executeAsync: the counter carries the call to the retries
        if (LogicalCall.carried(counter, false) == null) LogicalCall.carry(counter, current);
        return null;
      }
      LogicalCall carried = LogicalCall.carried(counter, false);
      return carried != null && carried.bindHere() ? carried : null;
    }

    @Override
    public void exit(Object token, Object result, Throwable thrown) {
      ((LogicalCall) token).leaveThread();
    }

    private static Object counter(Object[] args) {
      if (args == null) return null;
      for (Object arg : args) {
        if (arg != null && arg.getClass().getName().equals(COUNTER)) return arg;
      }
      return null;
    }
  }
}
