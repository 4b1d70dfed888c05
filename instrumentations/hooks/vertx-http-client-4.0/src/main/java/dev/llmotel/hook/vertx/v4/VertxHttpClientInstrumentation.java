package dev.llmotel.hook.vertx.v4;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.HookInstrumentation;
import dev.llmotel.hook.PerLoaderCallHook;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The Vert.x HttpClient of Vert.x 4.5 and 5.0, and so every client built on it (Vert.x WebClient, Quarkus' REST
 * clients on Vert.x). Vert.x 4.5 and 5.0 route every call through the same classes of
 * {@code io.vertx.core.http.impl} (for HTTP/1.x and HTTP/2 alike; tested over HTTP/1.1):
 *
 * <ul>
 *   <li>{@code HttpClientRequestImpl#doWrite(ByteBuf, boolean end, boolean connect, ...)}: every {@code send},
 *       {@code write}, {@code end} and {@code sendHead} of the request passes here; the first one writes the head,
 *       so the exchange begins there and the trace context header is added before the head goes out;</li>
 *   <li>{@code HttpClientRequestBase#handleResponse(HttpClientResponse)} (status and headers),
 *       {@code #fail(Throwable)} (connection or stream failure) and the public {@code #reset(long[, Throwable])}
 *       (the application gives the call up: abandoned);</li>
 *   <li>{@code HttpClientResponseImpl#handleChunk(Buffer)} and {@code #handleEnd(MultiMap)}: a chunk as it is
 *       delivered to the application (after its {@code pause()} / {@code fetch()}, to its {@code handler} or into
 *       its {@code body()}), and the end as its end handler is called;</li>
 *   <li>{@code HttpClientImpl#request(RequestOptions)}: a call whose connection cannot be made never has a request
 *       object; its failed future is reported as a failed exchange;</li>
 *   <li>{@code io.vertx.core.net.impl.ConnectionBase#close()} (and in 5.x {@code close(Object, long, TimeUnit)},
 *       where {@code shutdown} ends too): a connection closed while one of its calls is still open makes that call's
 *       failure an abandonment (the application closed it), not a transport error. Vert.x's own idle timeout closes
 *       the channel directly and stays a failure.</li>
 * </ul>
 *
 * <p>Nothing runs on the event loop but copying the bytes into the exchange. Versions whose classes lack these
 * methods or the fields the write advice reads ({@code headWritten}, {@code ended}) are simply not woven: no exchange
 * begins and the application runs as without the agent. Vert.x 5.1 and 5.2 changed three of these points (their
 * {@code doWrite} takes a {@code Buffer}, the response ends elsewhere, connections close through
 * {@code VertxConnection#shutdown(Duration)}): {@link VertxHttpClient51Instrumentation} weaves those, on the same
 * switch, slot and helper, and this class the points they kept. Not covered: a redirect Vert.x follows itself is a
 * second exchange; the 4.x callback form {@code request(RequestOptions, Handler)} gets no span when it cannot connect.
 */
public final class VertxHttpClientInstrumentation implements HookInstrumentation {
  static final String HELPER_PACKAGE = "dev.llmotel.hook.vertx.v4.helper.";
  /** The {@link Bridges} slot every advice calls (a constant: inlined into the advice). */
  static final String SLOT = "vertx-http-client-4.0/client";

  static final String REQUEST_IMPL = "io.vertx.core.http.impl.HttpClientRequestImpl";
  static final String REQUEST_BASE = "io.vertx.core.http.impl.HttpClientRequestBase";
  static final String RESPONSE_IMPL = "io.vertx.core.http.impl.HttpClientResponseImpl";
  static final String CLIENT_IMPL = "io.vertx.core.http.impl.HttpClientImpl";
  static final String CONNECTION_BASE = "io.vertx.core.net.impl.ConnectionBase";

  @Override
  public String name() {
    return "vertx-http-client";
  }

  @Override
  public String[] typeNames() {
    return new String[] {REQUEST_IMPL, REQUEST_BASE, RESPONSE_IMPL, CLIENT_IMPL, CONNECTION_BASE};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice = new LinkedHashMap<>();
    advice.put(isDeclaredBy(named(REQUEST_IMPL)).and(named("doWrite"))
        .and(takesArgument(0, named("io.netty.buffer.ByteBuf")))
        .and(takesArgument(1, boolean.class))
        .and(takesArgument(2, boolean.class)), VertxClientAdvice.Write.class.getName());
    advice.put(isDeclaredBy(named(REQUEST_BASE)).and(named("handleResponse")).and(takesArguments(1))
        .and(takesArgument(0, named("io.vertx.core.http.HttpClientResponse"))),
        VertxClientAdvice.Response.class.getName());
    advice.put(isDeclaredBy(named(REQUEST_BASE)).and(named("fail")).and(takesArguments(1))
        .and(takesArgument(0, Throwable.class)), VertxClientAdvice.Fail.class.getName());
    advice.put(isDeclaredBy(named(REQUEST_BASE)).and(named("reset")).and(isPublic())
        .and(takesArgument(0, long.class)), VertxClientAdvice.Reset.class.getName());
    advice.put(isDeclaredBy(named(RESPONSE_IMPL)).and(named("handleChunk")).and(takesArguments(1))
        .and(takesArgument(0, named("io.vertx.core.buffer.Buffer"))), VertxClientAdvice.Chunk.class.getName());
    advice.put(isDeclaredBy(named(RESPONSE_IMPL)).and(named("handleEnd")).and(takesArguments(1))
        .and(takesArgument(0, named("io.vertx.core.MultiMap"))), VertxClientAdvice.End.class.getName());
    advice.put(isDeclaredBy(named(CLIENT_IMPL)).and(named("request")).and(isPublic()).and(takesArguments(1))
        .and(takesArgument(0, named("io.vertx.core.http.RequestOptions")))
        .and(returns(named("io.vertx.core.Future"))), VertxClientAdvice.Requested.class.getName());
    // 4.x: close() is the funnel of every close; 5.x: close() and shutdown(...) end in close(Object, long, TimeUnit)
    advice.put(isDeclaredBy(named(CONNECTION_BASE)).and(named("close")).and(takesArguments(0)
        .or(takesArguments(3).and(takesArgument(0, Object.class)).and(takesArgument(1, long.class))
            .and(takesArgument(2, TimeUnit.class)))), VertxClientAdvice.ConnectionClose.class.getName());
    return advice;
  }

  @Override
  public String[] helperPackages() {
    return new String[] {HELPER_PACKAGE};
  }

  @Override
  public void install() {
    installSlot();
  }

  /**
   * Fills the slot both Vert.x instrumentations' advice calls, once (whichever of the two is installed first), so
   * that a call begun by one line's write advice is found by the other's response advice in the same helper.
   */
  static synchronized void installSlot() {
    HelperLoaders.registerHelperPackages(HELPER_PACKAGE);
    if (Bridges.callHook(SLOT) == null) {
      Bridges.register(SLOT, PerLoaderCallHook.keepingLast(HELPER_PACKAGE + "VertxClientHook"));
    }
  }
}
