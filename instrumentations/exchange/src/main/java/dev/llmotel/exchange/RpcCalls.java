package dev.llmotel.exchange;

/**
 * The entry point of SDK hooks that see remote procedure calls above the transport (the MCP SDK's JSON-RPC requests,
 * whatever carries them: a pipe, SSE, streamable HTTP): the neutral twin of {@link Exchanges} for calls that are not
 * one HTTP exchange. Until the agent has installed a factory every call is ignored. Never throws.
 */
public final class RpcCalls {
  private static volatile RpcCallFactory factory;

  private RpcCalls() {}

  public static void install(RpcCallFactory f) {
    factory = f;
  }

  /** @return the call to report the outcome to, or null when it is not traced (the hook then changes nothing) */
  public static RpcCall begin(RpcRequest request) {
    RpcCallFactory f = factory;
    if (f == null) return null;
    try {
      return f.begin(request);
    } catch (Throwable t) {
      return null;
    }
  }
}
