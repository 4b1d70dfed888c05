package dev.llmotel.exchange;

/**
 * The hooks' single entry point. Until the agent has installed a factory every request is ignored. Never throws.
 */
public final class Exchanges {
  private static volatile ExchangeFactory factory;

  private Exchanges() {}

  public static void install(ExchangeFactory f) {
    factory = f;
  }

  /**
   * @return the exchange to report this request's progress to, or null when the request is not an LLM call (or the
   *     agent is not ready); the hook must then leave the request and response untouched
   */
  public static Exchange begin(ExchangeRequest request) {
    ExchangeFactory f = factory;
    if (f == null) return null;
    try {
      return f.begin(request);
    } catch (Throwable t) {
      return null;
    }
  }
}
