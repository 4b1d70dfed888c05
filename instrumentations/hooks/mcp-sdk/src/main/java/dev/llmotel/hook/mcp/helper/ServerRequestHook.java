package dev.llmotel.hook.mcp.helper;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.config.AgentLog;
import dev.llmotel.exchange.RpcCall;
import dev.llmotel.exchange.RpcCalls;
import dev.llmotel.exchange.RpcRequest;
import dev.llmotel.exchange.RpcResult;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * A JSON-RPC request a Java MCP server handles, continuing the trace context in its {@code params._meta}:
 *
 * <ul>
 *   <li>{@code McpServerSession.handleIncomingRequest} (stdio, SSE): the returned {@code Mono} is the response (the
 *       session has already turned a handler's exception into an error response);
 *   <li>a streamable-HTTP session ({@code responseStream} / its stream's {@code handle}, flagged by a third argument):
 *       the {@code Mono} completes empty once the response is sent, and the response itself is told by the servlet
 *       transport's {@code sendMessage} (a call with one argument: the message), matched by transport and id.
 * </ul>
 *
 * A JSON-RPC error is {@code error.type} = its code; a tool result with {@code isError} is {@code tool_error}.
 */
public final class ServerRequestHook implements CallHook {
  private final Map<Object, String> versions = Collections.synchronizedMap(new WeakHashMap<Object, String>());
  /**
   * Streamable-HTTP transport → the request it carries the response of (one POST, one transport). The entry refers to
   * its transport and session only weakly, so that a request whose {@code Mono} never finishes (never subscribed,
   * dropped) does not keep them, nor itself, alive.
   */
  private final Map<Object, Handling> byTransport = Collections.synchronizedMap(new WeakHashMap<Object, Handling>());

  @Override
  public Object enter(Object self, Object[] args) {
    try {
      if (args.length == 1) {
        responseSent(self, args[0]);
        return null;
      }
      return begin(self, args);
    } catch (Throwable t) {
      AgentLog.debug("mcp-sdk: server request not traced: " + t);
      return null;
    }
  }

  private void responseSent(Object transport, Object message) {
    if (!(message instanceof McpSchema.JSONRPCResponse)) return;
    Handling h = byTransport.get(transport);
    if (h != null && h.requestId != null && h.requestId.equals(((McpSchema.JSONRPCResponse) message).id())) {
      h.value(message);
    }
  }

  private Object begin(Object session, Object[] args) {
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
    boolean streamable = args.length > 2;
    if (streamable && session instanceof McpStreamableServerSession) {
      request.sessionId = ((McpStreamableServerSession) session).getId();
    } else if ("tcp".equals(request.transport) && session instanceof McpServerSession) {
      request.sessionId = ((McpServerSession) session).getId();
    }
    request.protocolVersion = versions.get(session);
    RpcCall call = RpcCalls.begin(request);
    if (call == null) return null;
    try {
      if (call.capturesContent() && params != null && McpMessages.TOOLS_CALL.equals(method)) {
        call.arguments(Json.write(params.get("arguments"), call.contentLimit()));
      }
    } catch (Throwable ignored) {
      // recorded without them
    }
    Object transport = streamable ? args[1] : null;
    Handling handling = new Handling(this, session, call, message.id(), transport);
    if (transport != null) byTransport.put(transport, handling);
    return handling;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void exit(Object token, Object result, Throwable thrown) {
    Handling handling = (Handling) token;
    if (thrown != null) {
      handling.error(thrown);
      handling.finish(SignalType.ON_ERROR);
      return;
    }
    Object[] box = (Object[]) result;
    if (!(box[0] instanceof Mono)) {
      handling.finish(SignalType.ON_COMPLETE);
      return;
    }
    box[0] = handling.follow((Mono<Object>) box[0]);
  }

  private static final class Handling extends Outcome {
    final ServerRequestHook hook;
    /** Weak: the map {@code byTransport} holds this, and the session may hold the transport, the map's key. */
    final WeakReference<Object> session;
    final RpcCall call;
    final Object requestId;
    /** Weak: this is the value of {@code byTransport} under this very key; null when not streamable HTTP. */
    final WeakReference<Object> transport;
    private volatile Object response;

    Handling(ServerRequestHook hook, Object session, RpcCall call, Object requestId, Object transport) {
      this.hook = hook;
      this.session = new WeakReference<Object>(session);
      this.call = call;
      this.requestId = requestId;
      this.transport = transport == null ? null : new WeakReference<Object>(transport);
    }

    @Override
    void value(Object v) {
      response = v;
      Object result = v instanceof McpSchema.JSONRPCResponse ? ((McpSchema.JSONRPCResponse) v).result() : null;
      if (result instanceof McpSchema.InitializeResult) {
        String version = ((McpSchema.InitializeResult) result).protocolVersion();
        Object s = session.get();
        if (version != null && s != null) hook.versions.put(s, version);
      }
    }

    @Override
    void settle(SignalType signal, Throwable error) {
      Object t = transport == null ? null : transport.get();
      if (t != null) hook.byTransport.remove(t);
      RpcResult r;
      Object v = response;
      if (error != null) {
        r = McpMessages.failure(error);
      } else if (v instanceof McpSchema.JSONRPCResponse) {
        McpSchema.JSONRPCResponse resp = (McpSchema.JSONRPCResponse) v;
        if (resp.error() != null && resp.error().code() != null) {
          r = McpMessages.rpcError(resp.error());
        } else {
          r = McpMessages.success(resp.result(), call.capturesContent(), call.contentLimit());
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
