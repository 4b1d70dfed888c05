package dev.llmotel.hook.mcp.helper;

import dev.llmotel.exchange.RpcResult;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransport;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** What the hooks read from the SDK's messages, sessions and transports. Never throws. */
final class McpMessages {
  static final String TOOLS_CALL = "tools/call";
  static final String INITIALIZE = "initialize";
  private static final String META = "_meta";
  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  private McpMessages() {}

  /** The span target of a client request's typed params: a tool or prompt name, a resource URI. */
  static String target(Object params) {
    if (params instanceof McpSchema.CallToolRequest) return ((McpSchema.CallToolRequest) params).name();
    if (params instanceof McpSchema.GetPromptRequest) return ((McpSchema.GetPromptRequest) params).name();
    if (params instanceof McpSchema.ReadResourceRequest) return ((McpSchema.ReadResourceRequest) params).uri();
    if (params instanceof Map) return targetOf(null, (Map<?, ?>) params);
    return null;
  }

  /** The target of received params (a map): {@code name} of a tool or prompt, {@code uri} of a resource. */
  static String targetOf(String method, Map<?, ?> params) {
    Object name = params.get("name");
    if (name instanceof String && (method == null || method.equals(TOOLS_CALL) || method.equals("prompts/get"))) {
      return (String) name;
    }
    Object uri = params.get("uri");
    if (uri instanceof String && (method == null || method.startsWith("resources/"))) return (String) uri;
    return null;
  }

  /** {@code pipe} for the stdio transports, {@code tcp} for the HTTP ones (SSE, streamable HTTP, servlet). */
  static String transportOf(Object transport) {
    if (transport == null) return null;
    String name = transport.getClass().getName();
    if (name.contains("Stdio")) return "pipe";
    if (name.contains("Http") || name.contains("Sse") || name.contains("Servlet") || name.contains("WebFlux")
        || name.contains("WebMvc") || name.contains("Streamable")) {
      return "tcp";
    }
    return null;
  }

  /** The session id a streamable-HTTP client transport holds (the server's {@code Mcp-Session-Id}), or null. */
  static String clientSessionId(Object transport) {
    try {
      Field f = field(transport.getClass(), "activeSession");
      if (f == null) return null;
      Object ref = f.get(transport);
      Object session = ref instanceof AtomicReference ? ((AtomicReference<?>) ref).get() : null;
      if (session == null) return null;
      Method m = session.getClass().getMethod("sessionId");
      m.setAccessible(true);
      Object id = m.invoke(session);
      if (id instanceof Optional) return (String) ((Optional<?>) id).orElse(null);
      return id instanceof String ? (String) id : null;
    } catch (Throwable t) {
      return null;
    }
  }

  /** The server URI an HTTP client transport (SSE, streamable HTTP) was built with ({@code baseUri}), or null. */
  static java.net.URI serverUri(Object transport) {
    try {
      Field f = field(transport.getClass(), "baseUri");
      Object uri = f == null ? null : f.get(transport);
      return uri instanceof java.net.URI ? (java.net.URI) uri : null;
    } catch (Throwable t) {
      return null;
    }
  }

  private static Field field(Class<?> type, String name) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException ignored) {
        // look further up
      }
    }
    return null;
  }

  /**
   * The request's params as a map with the trace context added to {@code _meta}, or null to send them as they are
   * (the application set its own {@code traceparent}, or the params cannot be mapped).
   */
  @SuppressWarnings("unchecked")
  static Object withTraceContext(Object params, Map<String, String> context, Object transport) {
    Map<String, Object> map;
    if (params == null) {
      map = new LinkedHashMap<String, Object>();
    } else if (params instanceof Map) {
      map = new LinkedHashMap<String, Object>((Map<String, Object>) params);
    } else if (transport instanceof McpTransport) {
      map = ((McpTransport) transport).unmarshalFrom(params, new TypeRef<LinkedHashMap<String, Object>>() {});
      if (map == null) return null;
    } else {
      return null;
    }
    Object meta = map.get(META);
    Map<String, Object> newMeta = meta instanceof Map ? new LinkedHashMap<String, Object>((Map<String, Object>) meta)
        : new LinkedHashMap<String, Object>();
    if (newMeta.containsKey(TRACEPARENT)) return null;
    newMeta.putAll(context);
    map.put(META, newMeta);
    return map;
  }

  /** The W3C entries in received params' {@code _meta}. */
  static Map<String, String> traceContext(Map<?, ?> params) {
    Map<String, String> out = new LinkedHashMap<String, String>();
    Object meta = params.get(META);
    if (meta instanceof Map) {
      Object tp = ((Map<?, ?>) meta).get(TRACEPARENT);
      Object ts = ((Map<?, ?>) meta).get(TRACESTATE);
      if (tp instanceof String) out.put(TRACEPARENT, (String) tp);
      if (ts instanceof String) out.put(TRACESTATE, (String) ts);
    }
    return out;
  }

  /** The outcome of a client request that failed: a JSON-RPC error reply (its code), or any other exception. */
  static RpcResult failure(Throwable t) {
    if (t instanceof McpError) {
      McpSchema.JSONRPCResponse.JSONRPCError e = ((McpError) t).getJsonRpcError();
      if (e != null && e.code() != null) return rpcError(e);
    }
    return RpcResult.failed(t);
  }

  static RpcResult rpcError(McpSchema.JSONRPCResponse.JSONRPCError e) {
    RpcResult r = new RpcResult();
    r.errorCode = String.valueOf(e.code());
    r.errorType = r.errorCode;
    r.errorMessage = e.message();
    return r;
  }

  /**
   * The outcome of a result: the negotiated protocol version, a tool's {@code isError} and content (with {@code
   * withContent} only: its result and, for {@code isError}, its first text as the error message).
   */
  static RpcResult success(Object value, boolean withContent) {
    return success(value, withContent, 0);
  }

  /** @param contentLimit the telemetry's content limit ({@code RpcCall.contentLimit()}), 0 for none */
  static RpcResult success(Object value, boolean withContent, int contentLimit) {
    RpcResult r = new RpcResult();
    if (value instanceof McpSchema.InitializeResult) {
      r.protocolVersion = ((McpSchema.InitializeResult) value).protocolVersion();
    } else if (value instanceof McpSchema.CallToolResult) {
      McpSchema.CallToolResult result = (McpSchema.CallToolResult) value;
      if (Boolean.TRUE.equals(result.isError())) {
        r.errorType = "tool_error";
        // the tool's own output: only where its content may go (the telemetry redacts and cuts it)
        if (withContent) r.errorMessage = firstText(result.content());
      }
      if (withContent) r.resultJson = contentJson(result.content(), contentLimit);
    } else if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      if (Boolean.TRUE.equals(map.get("isError"))) r.errorType = "tool_error";
      Object version = map.get("protocolVersion");
      if (version instanceof String) r.protocolVersion = (String) version;
      if (withContent && map.get("content") != null) r.resultJson = Json.write(map.get("content"), contentLimit);
    }
    return r;
  }

  private static String firstText(List<McpSchema.Content> content) {
    if (content == null) return null;
    for (McpSchema.Content c : content) {
      if (c instanceof McpSchema.TextContent) return ((McpSchema.TextContent) c).text();
    }
    return null;
  }

  /** A tool result's content as JSON: text parts with their text, other parts by their type only. */
  static String contentJson(List<McpSchema.Content> content) {
    return contentJson(content, 0);
  }

  /** {@link #contentJson(List)}, stopping soon after the limit (see {@link Json}); 0: none. */
  static String contentJson(List<McpSchema.Content> content, int limit) {
    if (content == null) return null;
    Json.Out out = new Json.Out(limit);
    out.append('[');
    for (Iterator<McpSchema.Content> it = content.iterator(); it.hasNext() && !out.full(); ) {
      McpSchema.Content c = it.next();
      out.append("{\"type\":");
      out.string(c.type());
      if (c instanceof McpSchema.TextContent) {
        out.append(",\"text\":");
        out.string(((McpSchema.TextContent) c).text());
      }
      out.append('}');
      if (it.hasNext()) out.append(',');
    }
    return out.append(']').toString();
  }
}
