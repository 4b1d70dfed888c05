package dev.llmotel.hook.reactornetty.v1.helper;

import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClientResponse;

/** Finds the exchange an operations object of the HTTP client belongs to, through its Reactor context. */
final class Operations {
  /** The client's own operations class (package-private in Reactor Netty, so named, not referenced). */
  static final String HTTP_CLIENT_OPERATIONS = "reactor.netty.http.client.HttpClientOperations";

  private Operations() {}

  /**
   * @param exactClass true to accept only {@code HttpClientOperations} itself (its websocket subclass is skipped)
   * @return the exchange of this HTTP client request, or null (a server's operations, a request no dialect wanted)
   */
  static ReactorExchange exchangeOf(Object operations, boolean exactClass) {
    if (!(operations instanceof HttpClientResponse) || !(operations instanceof ChannelOperations)) return null;
    if (exactClass && !HTTP_CLIENT_OPERATIONS.equals(operations.getClass().getName())) return null;
    Object exchange = ((ChannelOperations<?, ?>) operations).currentContext().getOrDefault(ReactorExchange.KEY, null);
    return exchange instanceof ReactorExchange ? (ReactorExchange) exchange : null;
  }
}
