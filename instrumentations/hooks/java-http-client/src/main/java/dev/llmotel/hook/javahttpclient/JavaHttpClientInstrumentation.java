package dev.llmotel.hook.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.config.AgentLog;
import dev.llmotel.hook.HookInstrumentation;
import java.util.Collections;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code java.net.http.HttpClient} (JDK 11+). The advice sits on the one method every call passes through:
 *
 * <pre>
 * private CompletableFuture sendAsync(HttpRequest, BodyHandler, PushPromiseHandler, Executor)
 * </pre>
 *
 * of {@code jdk.internal.net.http.HttpClientImpl}. Checked with {@code javap -p -c} on JDK 17.0.15 and Temurin 25:
 * {@code send(req, handler)} calls {@code sendAsync(req, handler, null, null)} and then {@code get()}s the future,
 * {@code sendAsync(req, handler)} calls the 3-argument overload, and that one calls {@code sendAsync(req, handler,
 * pushPromiseHandler, executor)}. Hooking only the private method gives one exchange per call whichever entry point
 * the application uses, and skips {@code HttpClientFacade} (which just delegates), so there are never two spans.
 *
 * <p>No helper packages: everything here uses JDK types only, so it runs in the agent's own class loader. This class
 * itself never touches {@code java.net.http} types, so it loads (and does nothing) on Java 8.
 */
public final class JavaHttpClientInstrumentation implements HookInstrumentation {
  /** The {@link dev.llmotel.bootstrap.Bridges} slot the send advice calls (a constant: inlined into the advice). */
  static final String SEND_SLOT = "java-http-client/send";
  static final String CLIENT_IMPL = "jdk.internal.net.http.HttpClientImpl";

  @Override
  public String name() {
    return "java-http-client";
  }

  @Override
  public String[] typeNames() {
    return new String[] {CLIENT_IMPL};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(sendAsyncMethod(),
        JdkHttpSendAdvice.class.getName());
  }

  /** The private {@code sendAsync(HttpRequest, BodyHandler, PushPromiseHandler, Executor)}. */
  static ElementMatcher.Junction<MethodDescription> sendAsyncMethod() {
    return named("sendAsync")
        .and(isPrivate())
        .and(takesArguments(4))
        .and(takesArgument(0, named("java.net.http.HttpRequest")))
        .and(takesArgument(1, named("java.net.http.HttpResponse$BodyHandler")))
        .and(takesArgument(2, named("java.net.http.HttpResponse$PushPromiseHandler")))
        .and(takesArgument(3, named("java.util.concurrent.Executor")));
  }

  @Override
  public String[] helperPackages() {
    return new String[0];
  }

  @Override
  public void install() {
    if (!javaNetHttpPresent()) return;
    try {
      Bridges.register(SEND_SLOT, new JdkHttpSendHook());
    } catch (Throwable t) {
      AgentLog.debug("java.net.http hook not installed: " + t);
    }
  }

  private static boolean javaNetHttpPresent() {
    try {
      Class.forName("java.net.http.HttpClient", false, JavaHttpClientInstrumentation.class.getClassLoader());
      return true;
    } catch (Throwable t) {
      return false;
    }
  }
}
