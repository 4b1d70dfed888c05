package dev.llmotel.exchange;

import java.util.Collections;
import java.util.Map;

/**
 * What an SDK hook knows of a remote procedure call when it starts, in the protocol's own terms and without any of the
 * SDK's types. Plain fields, set by the hook; null when unknown.
 */
public final class RpcRequest {
  /** The protocol ({@code "mcp"}). */
  public final String system;
  /** True for a request this process received and handles (a server), false for one it sends (a client). */
  public final boolean server;
  /** The protocol's method name ({@code tools/call}). */
  public final String method;
  /** The request's id as the protocol carries it, as text. */
  public String requestId;
  /** What the method acts on, for the span name (a tool or prompt name, a resource URI). */
  public String target;
  public String sessionId;
  public String protocolVersion;
  /** How the messages travel: {@code pipe} (stdio) or {@code tcp} (HTTP). */
  public String transport;
  /** The server a client request goes to over the network (host and port), null / -1 when unknown or a pipe. */
  public String serverAddress;
  public int serverPort = -1;
  /** The W3C trace-context entries a received request carried (MCP: from {@code params._meta}). */
  public Map<String, String> incomingContext = Collections.emptyMap();

  public RpcRequest(String system, boolean server, String method) {
    this.system = system;
    this.server = server;
    this.method = method;
  }
}
