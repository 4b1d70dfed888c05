package dev.llmotel.exchange;

/** How an {@link RpcCall} ended. Plain fields, set by the hook; null when unknown. */
public final class RpcResult {
  /** The protocol's error code (JSON-RPC {@code error.code}) as text, when the reply was an error. */
  public String errorCode;
  /** Why the call failed: the error code, {@code tool_error}, an exception's class name; null when it succeeded. */
  public String errorType;
  public String errorMessage;
  /** The result as JSON (MCP: a tool result's content); only when content is captured. */
  public String resultJson;
  /** Learned from the reply (MCP: {@code initialize}'s negotiated version). */
  public String protocolVersion;
  /** The request's id, when the hook learned it only after the call began (the MCP client generates it then). */
  public String requestId;
  /** Learned once the call is over (MCP over streamable HTTP: the session the server assigned). */
  public String sessionId;

  /** Failed with an exception (the transport broke, the call timed out or was cancelled). */
  public static RpcResult failed(Throwable t) {
    RpcResult r = new RpcResult();
    r.errorType = t == null ? "cancelled" : t.getClass().getName();
    r.errorMessage = t == null ? null : t.getMessage();
    return r;
  }
}
