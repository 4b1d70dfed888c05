package dev.llmotel.exchange;

/** Decides whether an upgrade request opens a message session a dialect speaks and, if so, opens it. */
public interface MessageSessionFactory {
  /** @return a session, or null when no dialect wants the request (the hook then stays out of the way) */
  MessageSession begin(ExchangeRequest request);
}
