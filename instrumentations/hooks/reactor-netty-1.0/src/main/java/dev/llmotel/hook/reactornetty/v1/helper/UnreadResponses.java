package dev.llmotel.hook.reactornetty.v1.helper;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The responses of exchanges whose body nobody subscribed to yet, by the identity of their operations object: where
 * the exchange is found once Reactor Netty has dropped the operations' context.
 *
 * <p>Why: an operations object finds its exchange through its Reactor context (its connection observer's). Since
 * Reactor Netty 1.1.24 ({@code ChannelOperations.terminate()}, reactor-netty#3459), operations whose response's last
 * content has arrived are detached: the observer becomes the empty one (an empty context) and the connection a
 * disposed stand-in (another channel), while the received content waits for a later subscriber. A caller that takes
 * the response first and subscribes to its body later on its own thread (Spring's
 * {@code ReactorClientHttpRequestFactory}, as {@code RestClient} uses it: {@code responseConnection(...).next()}
 * blocked on, then {@code connection.inbound().receive()} when the application reads the body) subscribes after
 * that whenever the whole body came right behind the head, as short JSON answers do. Reactor Netty 1.0.x keeps the
 * observer, so there the context still answers.
 *
 * <p>An exchange is added when its response reaches the application and taken off when its body is claimed or the
 * exchange ends here (the body's end, a cancel, a failure, the client's discard); the look-up costs nothing while no
 * response awaits its body. A response the application drops unread and unclosed would stay (with its operations
 * object, which holds what arrived of the body), so there are at most {@link #MAX} entries: beyond that a response is
 * found only through its context, as before.
 */
final class UnreadResponses {
  static final int MAX = 256;
  private static final ConcurrentHashMap<Key, ReactorExchange> BY_OPERATIONS =
      new ConcurrentHashMap<Key, ReactorExchange>();

  private UnreadResponses() {}

  static void add(Object operations, ReactorExchange exchange) {
    if (BY_OPERATIONS.size() < MAX) BY_OPERATIONS.put(new Key(operations), exchange);
  }

  /** @return the exchange whose response these operations are, or null */
  static ReactorExchange find(Object operations) {
    if (BY_OPERATIONS.isEmpty()) return null;
    ReactorExchange exchange = BY_OPERATIONS.get(new Key(operations));
    return exchange != null && exchange.isResponse(operations) ? exchange : null;
  }

  static void remove(Object operations, ReactorExchange exchange) {
    BY_OPERATIONS.remove(new Key(operations), exchange);
  }

  /** The operations object by identity (whatever its class says equality is). */
  private static final class Key {
    private final Object operations;

    Key(Object operations) {
      this.operations = operations;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).operations == operations;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(operations);
    }
  }
}
