package dev.llmotel.exchange;

/** Decides whether a request is an LLM call and, if so, opens an {@link Exchange} for it. */
public interface ExchangeFactory {
  /** @return an exchange, or null when the request is not an LLM call (the hook then stays out of the way) */
  Exchange begin(ExchangeRequest request);
}
