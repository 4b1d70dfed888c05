package dev.llmotel.hook.reactornetty.v1.helper;

import dev.llmotel.bootstrap.ObjectHook;
import reactor.netty.channel.ChannelOperations;

/**
 * The per-loader half of the discard doorway: the client drops the inbound of a response whose body nobody
 * subscribed to (only the response was asked for, or the application disposed of the connection). The exchange ends
 * without a body when the whole body had arrived and been handed on, else as closed early (abandoned).
 */
public final class DiscardHook implements ObjectHook {
  @Override
  public void apply(Object operations) {
    try {
      ReactorExchange exchange = Operations.exchangeOf(operations, false);
      if (exchange == null) return;
      exchange.discarded(operations, ((ChannelOperations<?, ?>) operations).isInboundDisposed());
    } catch (Throwable ignored) {
      // observing never breaks the client
    }
  }
}
