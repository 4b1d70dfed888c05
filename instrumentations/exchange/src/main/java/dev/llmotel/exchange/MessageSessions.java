package dev.llmotel.exchange;

/**
 * The WebSocket hooks' single entry point, as {@link Exchanges} is the HTTP hooks'. Until the agent has installed a
 * factory every session is ignored. Never throws.
 */
public final class MessageSessions {
  private static volatile MessageSessionFactory factory;

  private MessageSessions() {}

  public static void install(MessageSessionFactory f) {
    factory = f;
  }

  /**
   * @param request the upgrade request: method GET, scheme ws/wss (or http/https), host, port, path, query, headers
   * @return the session to report the messages to, or null when no dialect wants it (or the agent is not ready)
   */
  public static MessageSession begin(ExchangeRequest request) {
    MessageSessionFactory f = factory;
    if (f == null) return null;
    try {
      return f.begin(request);
    } catch (Throwable t) {
      return null;
    }
  }
}
