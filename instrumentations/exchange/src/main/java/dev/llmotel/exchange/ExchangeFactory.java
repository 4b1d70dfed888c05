package dev.llmotel.exchange;

/** Decides whether a request is an LLM call and, if so, opens an {@link Exchange} for it. */
public interface ExchangeFactory {
  /** @return an exchange, or null when no dialect recognises the request (the hook then stays out of the way) */
  Exchange begin(ExchangeRequest request);
}
