package dev.llmotel.hook.mcp;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
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
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The Java MCP SDK ({@code io.modelcontextprotocol.sdk:mcp-core}, 1.0.1 to 2.2.0). Every JSON-RPC request a client
 * sends goes through {@code McpClientSession.sendRequest(String, Object, TypeRef)}, whatever the transport (stdio,
 * SSE, streamable HTTP) and whichever public method ({@code initialize}, {@code callTool}, {@code readResource}, ...)
 * asked for it; every request a server session handles (stdio, SSE, and the servlet SSE transport) goes through
 * {@code McpServerSession.handleIncomingRequest(JSONRPCRequest, McpTransportContext)}, every request of a
 * streamable-HTTP server session but {@code initialize} (which its transport provider answers itself) through {@code
 * McpStreamableServerSession.responseStream(JSONRPCRequest, McpStreamableServerTransport)} (up to 2.1) or {@code
 * McpStreamableServerSessionStream.handle(JSONRPCRequest)} (2.2); the servlet transport's {@code sendMessage} shows
 * such a request's response (with Spring's WebFlux / WebMVC transports the span ends without it). One advice on each: the
 * request becomes an {@link dev.llmotel.exchange.RpcCall}, the returned {@code Mono} is observed (never re-subscribed)
 * to end it, and a client request carries the call's W3C trace context in {@code params._meta} (unless the
 * application put a {@code traceparent} there itself). Another advice reads the id {@code generateRequestId()}
 * produced for the request being sent. Not covered: a streamable-HTTP server's {@code initialize}, stateless servers
 * ({@code McpStatelessServerHandler}).
 *
 * <p>Streamable HTTP and SSE clients post their JSON-RPC messages with {@code java.net.http}: no dialect claims those
 * requests (none of them is an LLM protocol), so the HTTP hook leaves them alone and each MCP request is one span.
 */
public final class McpSdkInstrumentation implements HookInstrumentation {
  static final String HELPER_PACKAGE = "dev.llmotel.hook.mcp.helper.";
  /** The {@link Bridges} slots the advice calls (constants: inlined into the advice). */
  static final String CLIENT_SLOT = "mcp-sdk/client-request";
  static final String REQUEST_ID_SLOT = "mcp-sdk/request-id";
  static final String SERVER_SLOT = "mcp-sdk/server-request";

  static final String CLIENT_SESSION = "io.modelcontextprotocol.spec.McpClientSession";
  static final String SERVER_SESSION = "io.modelcontextprotocol.spec.McpServerSession";
  static final String STREAMABLE_SERVER_SESSION = "io.modelcontextprotocol.spec.McpStreamableServerSession";
  static final String SESSION_STREAM = STREAMABLE_SERVER_SESSION + "$McpStreamableServerSessionStream";
  static final String SERVLET_TRANSPORT = "io.modelcontextprotocol.server.transport."
      + "HttpServletStreamableServerTransportProvider$HttpServletStreamableMcpSessionTransport";

  @Override
  public String name() {
    return "mcp-sdk";
  }

  @Override
  public String[] typeNames() {
    return new String[] {CLIENT_SESSION, SERVER_SESSION, STREAMABLE_SERVER_SESSION, SESSION_STREAM, SERVLET_TRANSPORT};
  }

  @Override
  public Map<ElementMatcher<? super MethodDescription>, String> advice() {
    Map<ElementMatcher<? super MethodDescription>, String> advice =
        new LinkedHashMap<ElementMatcher<? super MethodDescription>, String>();
    advice.put(named("sendRequest").and(takesArguments(3)).and(takesArgument(0, String.class))
        .and(takesArgument(2, named("io.modelcontextprotocol.json.TypeRef")))
        .and(returns(named("reactor.core.publisher.Mono")))
        .and(isDeclaredBy(named(CLIENT_SESSION))), ClientRequestAdvice.class.getName());
    advice.put(named("generateRequestId").and(takesArguments(0)).and(returns(String.class))
        .and(isDeclaredBy(named(CLIENT_SESSION))), RequestIdAdvice.class.getName());
    advice.put(named("handleIncomingRequest").and(takesArguments(2))
        .and(takesArgument(0, named("io.modelcontextprotocol.spec.McpSchema$JSONRPCRequest")))
        .and(returns(named("reactor.core.publisher.Mono")))
        .and(isDeclaredBy(named(SERVER_SESSION))), ServerRequestAdvice.class.getName());
    advice.put(named("responseStream").and(takesArguments(2))
        .and(takesArgument(0, named("io.modelcontextprotocol.spec.McpSchema$JSONRPCRequest")))
        .and(takesArgument(1, named("io.modelcontextprotocol.spec.McpStreamableServerTransport")))
        .and(returns(named("reactor.core.publisher.Mono")))
        .and(isDeclaredBy(named(STREAMABLE_SERVER_SESSION))),
        StreamableServerRequestAdvice.class.getName());
    advice.put(named("handle").and(takesArguments(1))
        .and(takesArgument(0, named("io.modelcontextprotocol.spec.McpSchema$JSONRPCRequest")))
        .and(returns(named("reactor.core.publisher.Mono")))
        .and(isDeclaredBy(named(SESSION_STREAM))), StreamHandleAdvice.class.getName());
    advice.put(named("sendMessage").and(takesArguments(2))
        .and(takesArgument(0, named("io.modelcontextprotocol.spec.McpSchema$JSONRPCMessage")))
        .and(takesArgument(1, String.class))
        .and(isDeclaredBy(named(SERVLET_TRANSPORT))), ServletResponseAdvice.class.getName());
    return advice;
  }

  @Override
  public String[] helperPackages() {
    return new String[] {HELPER_PACKAGE};
  }

  @Override
  public void install() {
    HelperLoaders.registerHelperPackages(HELPER_PACKAGE);
    PerLoaderCallHook client = PerLoaderCallHook.keepingLast(HELPER_PACKAGE + "ClientRequestHook");
    Bridges.register(CLIENT_SLOT, client);
    Bridges.register(REQUEST_ID_SLOT, client);
    Bridges.register(SERVER_SLOT, PerLoaderCallHook.keepingLast(HELPER_PACKAGE + "ServerRequestHook"));
  }
}
