package dev.llmotel.hook.vertx.v4;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.hook.HookInstrumentation;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What Vert.x 5.1 and 5.2 changed in the client classes {@link VertxHttpClientInstrumentation} weaves; that one still
 * weaves what they kept ({@code HttpClientRequestBase#handleResponse} / {@code fail} / {@code reset},
 * {@code HttpClientResponseImpl#handleChunk}, {@code HttpClientImpl#request}), and this one adds, on the same
 * switch, bridge slot and helper:
 *
 * <ul>
 *   <li>{@code HttpClientRequestImpl#doWrite(Buffer, boolean end, boolean connect)}: the write funnel, now taking a
 *       Vert.x {@code Buffer}, its head flag {@code headersSent} and its end flag {@code trailersSent};</li>
 *   <li>the response's end: {@code HttpClientResponseImpl#handleEnd(Void)} (5.2.3 on), and before it (5.1, 5.2.0)
 *       {@code #handleTrailers(MultiMap)}, which ends the response in the classes that have no {@code handleEnd};
 *       </li>
 *   <li>{@code io.vertx.core.net.impl.VertxConnection#shutdown(Duration)}: where {@code close()} and every
 *       {@code shutdown(...)} of a connection end up (the application closing its connection: abandoned).</li>
 * </ul>
 *
 * <p>None of these methods exists in Vert.x 4.5 / 5.0, so there this instrumentation matches nothing (one debug line
 * per class), as the 4.5 / 5.0 write advice matches nothing in 5.1 / 5.2.
 */
public final class VertxHttpClient51Instrumentation implements HookInstrumentation {
  static final String VERTX_CONNECTION = "io.vertx.core.net.impl.VertxConnection";

  @Override
  public String name() {
    return "vertx-http-client";
  }

  @Override
  public String[] typeNames() {
    return new String[] {
      VertxHttpClientInstrumentation.REQUEST_IMPL, VertxHttpClientInstrumentation.RESPONSE_IMPL, VERTX_CONNECTION
    };
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice = new LinkedHashMap<>();
    advice.put(isDeclaredBy(named(VertxHttpClientInstrumentation.REQUEST_IMPL)).and(named("doWrite"))
        .and(takesArguments(3))
        .and(takesArgument(0, named("io.vertx.core.buffer.Buffer")))
        .and(takesArgument(1, boolean.class))
        .and(takesArgument(2, boolean.class)), VertxClient51Advice.Write.class.getName());
    advice.put(isDeclaredBy(named(VertxHttpClientInstrumentation.RESPONSE_IMPL)).and(named("handleEnd"))
        .and(takesArguments(1)).and(takesArgument(0, Void.class)), VertxClientAdvice.End.class.getName());
    advice.put(isDeclaredBy(named(VertxHttpClientInstrumentation.RESPONSE_IMPL)
            .and(not(declaresMethod(named("handleEnd")))))
        .and(named("handleTrailers")).and(takesArguments(1))
        .and(takesArgument(0, named("io.vertx.core.MultiMap"))), VertxClientAdvice.End.class.getName());
    advice.put(isDeclaredBy(named(VERTX_CONNECTION)).and(named("shutdown")).and(takesArguments(1))
        .and(takesArgument(0, named("java.time.Duration"))), VertxClientAdvice.ConnectionClose.class.getName());
    return advice;
  }

  @Override
  public String[] helperPackages() {
    return new String[] {VertxHttpClientInstrumentation.HELPER_PACKAGE};
  }

  @Override
  public void install() {
    VertxHttpClientInstrumentation.installSlot();
  }
}
