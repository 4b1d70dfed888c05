package dev.llmotel.hook.mcp.helper;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.RpcCall;
import dev.llmotel.exchange.RpcCalls;
import dev.llmotel.exchange.RpcRequest;
import dev.llmotel.exchange.RpcResult;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * A JSON-RPC request an {@code McpClientSession} sends ({@code sendRequest(method, params, typeRef)}): begins the RPC
 * call on the calling thread (its parent is the span current there), puts the call's trace context into the params'
 * {@code _meta}, and observes the returned {@code Mono}: its value (a tool result with {@code isError}, the
 * negotiated protocol version of {@code initialize}), its error (a JSON-RPC error reply, a timeout, a transport that
 * broke) or its cancellation ends the call. The {@code Mono} is the application's own, with three observing operators:
 * the application subscribes to it as before and gets the same values and exceptions.
 *
 * <p>Also told, through {@code generateRequestId()}, the id of the request being sent on this thread.
 */
public final class ClientRequestHook implements CallHook {
  private static final ThreadLocal<Sending> SENDING = new ThreadLocal<Sending>();
  /** Session → the protocol version its {@code initialize} negotiated. */
  private final Map<Object, String> versions = Collections.synchronizedMap(new WeakHashMap<Object, String>());

  @Override
  public Object enter(Object session, Object[] args) {
    if (args.length == 1) { // generateRequestId() returned
      Sending s = SENDING.get();
      if (s != null && s.session == session && s.requestId == null) s.requestId = (String) args[0];
      return null;
    }
    String method = (String) args[0];
    if (method == null) return null;
    Object params = args[1];
    Object transport = args[2];
    RpcRequest request = new RpcRequest("mcp", false, method);
    request.target = McpMessages.target(params);
    request.transport = McpMessages.transportOf(transport);
    request.protocolVersion = versions.get(session);
    request.sessionId = transport == null ? null : McpMessages.clientSessionId(transport);
    java.net.URI server = "tcp".equals(request.transport) ? McpMessages.serverUri(transport) : null;
    if (server != null && server.getHost() != null) {
      request.serverAddress = server.getHost();
      int port = server.getPort();
      request.serverPort = port > 0 ? port : "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80;
    }
    RpcCall call = RpcCalls.begin(request);
    if (call == null) return null;
    Sending sending = new Sending(this, session, transport, call);
    try {
      if (call.capturesContent() && params instanceof McpSchema.CallToolRequest) {
        call.arguments(Json.write(((McpSchema.CallToolRequest) params).arguments(), call.contentLimit()));
      }
      Map<String, String> context = call.propagation();
      if (!context.isEmpty()) {
        Object withContext = McpMessages.withTraceContext(params, context, transport);
        if (withContext != null) args[1] = withContext;
      }
    } catch (Throwable ignored) {
      // the request goes out as the application made it
    }
    SENDING.set(sending);
    return sending;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void exit(Object token, Object result, Throwable thrown) {
    Sending sending = (Sending) token;
    if (SENDING.get() == sending) SENDING.remove();
    if (thrown != null) {
      sending.end(RpcResult.failed(thrown));
      return;
    }
    Object[] box = (Object[]) result;
    if (!(box[0] instanceof Mono)) {
      sending.end(new RpcResult());
      return;
    }
    box[0] = sending.follow((Mono<Object>) box[0]);
  }

  /** One request on its way: what its outcome needs. */
  private static final class Sending extends Outcome {
    final ClientRequestHook hook;
    final Object session;
    final Object transport;
    final RpcCall call;
    volatile String requestId;
    private volatile Object value;

    Sending(ClientRequestHook hook, Object session, Object transport, RpcCall call) {
      this.hook = hook;
      this.session = session;
      this.transport = transport;
      this.call = call;
    }

    @Override
    void value(Object v) {
      value = v;
      // at once, not when the Mono finishes: the application may send its next request before that
      if (v instanceof McpSchema.InitializeResult) {
        String version = ((McpSchema.InitializeResult) v).protocolVersion();
        if (version != null) hook.versions.put(session, version);
      }
    }

    @Override
    void settle(SignalType signal, Throwable error) {
      RpcResult r;
      if (error != null) {
        r = McpMessages.failure(error);
      } else if (value == null && signal == SignalType.CANCEL) {
        r = RpcResult.failed(null);
      } else {
        r = McpMessages.success(value, call.capturesContent(), call.contentLimit());
      }
      end(r);
    }

    void end(RpcResult r) {
      try {
        r.requestId = requestId;
        if (transport != null) r.sessionId = McpMessages.clientSessionId(transport);
      } catch (Throwable ignored) {
        // ends without them
      }
      call.end(r);
    }
  }
}
