package dev.llmotel.hook.reactornetty.v1.helper;

import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Finds the exchange an operations object of the HTTP client belongs to, through its Reactor context, or once
 * Reactor Netty dropped that, among the {@link UnreadResponses}.
 */
final class Operations {
  /** The client's own operations class (package-private in Reactor Netty, so named, not referenced). */
  static final String HTTP_CLIENT_OPERATIONS = "reactor.netty.http.client.HttpClientOperations";

  private Operations() {}

  /**
   * @param exactClass true to accept only {@code HttpClientOperations} itself (its websocket subclass is skipped), for
   *     a request about to be written: found through the context only
   * @return the exchange of this HTTP client request, or null (a server's operations, a request no dialect wanted)
   */
  static ReactorExchange exchangeOf(Object operations, boolean exactClass) {
    if (!(operations instanceof HttpClientResponse) || !(operations instanceof ChannelOperations)) return null;
    if (exactClass && !HTTP_CLIENT_OPERATIONS.equals(operations.getClass().getName())) return null;
    ChannelOperations<?, ?> ops = (ChannelOperations<?, ?>) operations;
    Object exchange = ops.currentContext().getOrDefault(ReactorExchange.KEY, null);
    if (exchange instanceof ReactorExchange) return (ReactorExchange) exchange;
    // Reactor Netty 1.1.24+ drops the context of operations whose whole response arrived (see UnreadResponses)
    return exactClass ? null : UnreadResponses.find(operations);
  }
}
