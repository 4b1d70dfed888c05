package dev.llmotel.dialect;

import dev.llmotel.exchange.ExchangeRequest;

/**
 * One LLM protocol (OpenAI-compatible, Anthropic, Ollama, ...). Turns the bytes of an exchange into {@link GenAiFacts}.
 * Registered through {@code META-INF/services/dev.llmotel.dialect.Dialect}.
 */
public interface Dialect {
  /** A short lower-case name, used in configuration ({@code otel.instrumentation.llm.dialect.<name>.enabled}). */
  String name();

  /**
   * Decides from the request line and headers alone whether this request speaks this dialect. Must be cheap (no body
   * is available yet) and must not throw.
   *
   * @return a session that will receive the exchange's bytes, or null if the request is not this dialect's
   */
  DialectSession open(ExchangeRequest request, DialectContext context);
}
