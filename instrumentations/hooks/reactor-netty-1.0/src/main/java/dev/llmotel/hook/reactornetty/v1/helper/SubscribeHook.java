package dev.llmotel.hook.reactornetty.v1.helper;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.Exchanges;
import reactor.core.CoreSubscriber;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientConfig;

/**
 * The per-loader half of the subscribe doorway, on the thread that subscribes (so the exchange's parent is the
 * application's current span there). For a request a dialect wants, the subscriber is replaced by an
 * {@link ExchangeSubscriber} that carries the exchange in its context and reports the response or the failure.
 * Otherwise the call goes on as it was; only a subscriber whose context already carries another call's exchange (a
 * call made while handling an LLM response, whose context Reactor Netty passes on) gets one that hides it.
 */
public final class SubscribeHook implements CallHook {
  @Override
  @SuppressWarnings("unchecked")
  public Object enter(Object config, Object[] args) {
    try {
      if (!(config instanceof HttpClientConfig) || !(args[0] instanceof CoreSubscriber)) return null;
      CoreSubscriber<? super Connection> actual = (CoreSubscriber<? super Connection>) args[0];
      HttpClientConfig c = (HttpClientConfig) config;
      RequestTarget.Headers headers = new RequestTarget.Headers(c.headers());
      ExchangeRequest request = RequestTarget.describe(c, headers);
      Exchange exchange = request == null ? null : Exchanges.begin(request);
      if (exchange != null) {
        args[0] = new ExchangeSubscriber(actual, new ReactorExchange(exchange, headers));
      } else if (actual.currentContext().hasKey(ReactorExchange.KEY)) {
        args[0] = new ExchangeSubscriber(actual, null);
      }
    } catch (Throwable ignored) {
      // the subscription goes on unobserved
    }
    return null;
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {}
}
