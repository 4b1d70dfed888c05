package dev.llmotel.hook.reactornetty.v1.helper;

import dev.llmotel.bootstrap.CallHook;
import reactor.core.publisher.Flux;

/**
 * The per-loader half of the receive doorway. Enter: the exchange when these operations are the response an exchange
 * follows, else null (the advice then allocates nothing). Exit: the inbound handed out behind a {@link TeeInbound}.
 */
public final class ReceiveHook implements CallHook {
  @Override
  public Object enter(Object operations, Object[] args) {
    try {
      ReactorExchange exchange = Operations.exchangeOf(operations, false);
      if (exchange == null || !exchange.isResponse(operations)) return null;
      return new Object[] {exchange, operations};
    } catch (Throwable t) {
      return null;
    }
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    try {
      Object[] box = (Object[]) result;
      if (thrown != null || !(box[0] instanceof Flux) || box[0] instanceof TeeInbound) return;
      Object[] t = (Object[]) token;
      box[0] = new TeeInbound((Flux<?>) box[0], (ReactorExchange) t[0], t[1]);
    } catch (Throwable ignored) {
      // the application gets the inbound itself
    }
  }
}
