package dev.llmotel.exchange;

import java.util.Map;

/**
 * One remote procedure call being traced, as an SDK hook reports it: begun by {@link RpcCalls#begin}, ended exactly
 * once by {@link #end}. Implementations never throw.
 */
public interface RpcCall {
  /**
   * The W3C trace-context entries ({@code traceparent}, maybe {@code tracestate}) the hook adds to an outgoing request's
   * metadata (MCP: {@code params._meta}) unless the application set its own; empty for a call the hook received.
   */
  Map<String, String> propagation();

  /** Whether {@link #arguments} and {@link RpcResult#resultJson} are recorded (content capture is on). */
  boolean capturesContent();

  /** The call's arguments as JSON (MCP: a tool call's {@code arguments}); only asked when content is captured. */
  void arguments(String json);

  /**
   * The most characters of content (arguments, {@link RpcResult#resultJson}) the telemetry keeps, or 0 for no limit:
   * a hook may stop writing content a little past it (the telemetry redacts what it gets, then cuts at the limit),
   * rather than write a large value whole on the application's thread.
   */
  default int contentLimit() {
    return 0;
  }

  /** The call is over (a result, an error reply, or a failure of the transport). */
  void end(RpcResult result);
}
