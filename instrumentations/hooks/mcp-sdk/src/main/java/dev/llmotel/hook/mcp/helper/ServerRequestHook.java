package dev.llmotel.hook.mcp.helper;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.RpcCall;
import dev.llmotel.exchange.RpcCalls;
import dev.llmotel.exchange.RpcRequest;
import dev.llmotel.exchange.RpcResult;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * A JSON-RPC request an {@code McpServerSession} handles ({@code handleIncomingRequest}): begins the RPC call as a
 * server call continuing the trace context in the request's {@code params._meta}, and observes the returned {@code
 * Mono} of the response (the session turns a handler's exception into an error response itself): a JSON-RPC error
 * (its code), a tool result with {@code isError}, the negotiated protocol version.
 */
public final class ServerRequestHook implements CallHook {
  private final Map<Object, String> versions = Collections.synchronizedMap(new WeakHashMap<Object, String>());

  @Override
  public Object enter(Object session, Object[] args) {
    if (!(args[0] instanceof McpSchema.JSONRPCRequest)) return null;
    McpSchema.JSONRPCRequest message = (McpSchema.JSONRPCRequest) args[0];
    String method = message.method();
    if (method == null) return null;
    RpcRequest request = new RpcRequest("mcp", true, method);
    request.requestId = message.id() == null ? null : String.valueOf(message.id());
    request.transport = McpMessages.transportOf(args[1]);
    Map<?, ?> params = message.params() instanceof Map ? (Map<?, ?>) message.params() : null;
    if (params != null) {
      request.target = McpMessages.targetOf(method, params);
      request.incomingContext = McpMessages.traceContext(params);
    }
    if ("tcp".equals(request.transport) && session instanceof McpServerSession) {
      request.sessionId = ((McpServerSession) session).getId();
    }
    request.protocolVersion = versions.get(session);
    RpcCall call = RpcCalls.begin(request);
    if (call == null) return null;
    try {
      if (call.capturesContent() && params != null && McpMessages.TOOLS_CALL.equals(method)) {
        call.arguments(Json.write(params.get("arguments")));
      }
    } catch (Throwable ignored) {
      // recorded without them
    }
    return new Handling(this, session, call);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void exit(Object token, Object result, Throwable thrown) {
    Handling handling = (Handling) token;
    if (thrown != null) {
      handling.call.end(RpcResult.failed(thrown));
      return;
    }
    Object[] box = (Object[]) result;
    if (!(box[0] instanceof Mono)) {
      handling.call.end(new RpcResult());
      return;
    }
    box[0] = ((Mono<Object>) box[0])
        .doOnNext(handling::value)
        .doOnError(handling::error)
        .doFinally(handling::finish);
  }

  private static final class Handling {
    final ServerRequestHook hook;
    final Object session;
    final RpcCall call;
    private volatile Object response;
    private volatile Throwable error;

    Handling(ServerRequestHook hook, Object session, RpcCall call) {
      this.hook = hook;
      this.session = session;
      this.call = call;
    }

    void value(Object v) {
      response = v;
    }

    void error(Throwable t) {
      error = t;
    }

    void finish(SignalType signal) {
      RpcResult r;
      Object v = response;
      if (error != null) {
        r = McpMessages.failure(error);
      } else if (v instanceof McpSchema.JSONRPCResponse) {
        McpSchema.JSONRPCResponse resp = (McpSchema.JSONRPCResponse) v;
        if (resp.error() != null && resp.error().code() != null) {
          r = McpMessages.rpcError(resp.error());
        } else {
          r = McpMessages.success(resp.result(), call.capturesContent());
          if (r.protocolVersion != null) hook.versions.put(session, r.protocolVersion);
        }
      } else if (v == null && signal == SignalType.CANCEL) {
        r = RpcResult.failed(null);
      } else {
        r = new RpcResult();
      }
      call.end(r);
    }
  }
}
