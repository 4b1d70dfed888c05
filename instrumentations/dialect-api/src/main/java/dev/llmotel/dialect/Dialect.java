package dev.llmotel.dialect;

import dev.llmotel.exchange.ExchangeRequest;

/**
 * One LLM protocol (OpenAI-compatible, Anthropic, Ollama, ...). Turns the bytes of an exchange into {@link CallFacts}.
 * Registered through {@code META-INF/services/dev.llmotel.dialect.Dialect}; the agent asks the dialects in the order of
 * their {@link #precedence()} (then by name), never in class-path order.
 */
public interface Dialect {
  /** For a dialect that recognises its requests by a route or host of its own (Anthropic, Ollama, LibreChat). */
  int SPECIFIC = 100;
  /** For a dialect whose routes many servers share (the OpenAI-compatible API): asked after the specific ones. */
  int GENERIC = 1000;

  /** A short lower-case name, used in configuration ({@code otel.instrumentation.llm.dialect.<name>.enabled}). */
  String name();

  /** Lower is asked first: {@link #SPECIFIC} or {@link #GENERIC}, or a value between them. */
  int precedence();

  /**
   * Decides from the request line and headers alone whether this request speaks this dialect. Must be cheap (no body
   * is available yet) and must not throw.
   *
   * @return a session that will receive the exchange's bytes, or null if the request is not this dialect's
   */
  DialectSession open(ExchangeRequest request, DialectContext context);
}
