package dev.llmotel.hook.reactornetty.v1.helper;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.context.Context;

/**
 * Stands between {@code MonoHttpConnect} and the application's subscriber: passes every signal on unchanged, with a
 * context that carries the exchange (seen by every {@code HttpClientOperations} of the call) or, with no exchange,
 * one that no longer carries an enclosing call's. The emitted connection is the response: its status and headers
 * are reported before the application gets it. An error or a cancel before it ends the exchange.
 */
final class ExchangeSubscriber implements CoreSubscriber<Connection>, Subscription {
  private final CoreSubscriber<? super Connection> actual;
  private final ReactorExchange exchange;
  private final Context context;
  private Subscription upstream;

  /** @param exchange the call's exchange, or null to hide an enclosing call's */
  ExchangeSubscriber(CoreSubscriber<? super Connection> actual, ReactorExchange exchange) {
    this.actual = actual;
    this.exchange = exchange;
    Context parent = actual.currentContext();
    this.context = exchange != null ? parent.put(ReactorExchange.KEY, exchange) : parent.delete(ReactorExchange.KEY);
  }

  @Override
  public Context currentContext() {
    return context;
  }

  @Override
  public void onSubscribe(Subscription s) {
    upstream = s;
    actual.onSubscribe(this);
  }

  @Override
  public void onNext(Connection connection) {
    if (exchange != null) {
      try {
        if (connection instanceof HttpClientResponse) {
          HttpClientResponse response = (HttpClientResponse) connection;
          exchange.response(connection, response.status().code(), new ResponseHeaders(response.responseHeaders()));
        }
      } catch (Throwable ignored) {
        // the application gets its connection all the same
      }
    }
    actual.onNext(connection);
  }

  @Override
  public void onError(Throwable error) {
    if (exchange != null) exchange.failedBeforeResponse(error);
    actual.onError(error);
  }

  @Override
  public void onComplete() {
    // a Mono completing without a value (it never does here) had no response to follow
    if (exchange != null) exchange.cancelledBeforeResponse();
    actual.onComplete();
  }

  @Override
  public void request(long n) {
    upstream.request(n);
  }

  @Override
  public void cancel() {
    if (exchange != null) exchange.cancelledBeforeResponse();
    upstream.cancel();
  }
}
