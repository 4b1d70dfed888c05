package dev.llmotel.dialect;

import dev.llmotel.exchange.ExchangeRequest;

/**
 * A protocol spoken over a message session (a WebSocket), such as OpenAI's Realtime API: the {@link Dialect} of
 * sessions. Registered through {@code META-INF/services/dev.llmotel.dialect.MessageDialect}; asked in the order of
 * {@link #precedence()}, then name.
 */
public interface MessageDialect {
  /** A short lower-case name, used in configuration ({@code otel.instrumentation.llm.dialect.<name>.enabled}). */
  String name();

  /** Lower is asked first ({@link Dialect#SPECIFIC} or {@link Dialect#GENERIC}). */
  int precedence();

  /**
   * Decides from the upgrade request alone whether the session speaks this dialect. Cheap, never throws.
   *
   * @param turns told of each turn (a unit of work inside the session that gets a span of its own) as it begins
   *     and ends
   * @return the session's dialect view, or null when the request is not this dialect's
   */
  MessageDialectSession open(ExchangeRequest request, DialectContext context, TurnSink turns);
}
