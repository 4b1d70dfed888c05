package dev.llmotel.hook.javahttpclient;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps the application's {@code BodyHandler}: reports the status line and headers, then gives the client the
 * application's own {@code BodySubscriber} inside a {@link TeeBodySubscriber}. Only the first response is observed
 * (the client applies the handler once, to the final response; a second call is passed through untouched).
 */
final class TeeBodyHandler<T> implements HttpResponse.BodyHandler<T> {
  private final HttpResponse.BodyHandler<T> delegate;
  private final GuardedExchange exchange;
  private final AtomicBoolean applied = new AtomicBoolean();

  TeeBodyHandler(HttpResponse.BodyHandler<T> delegate, GuardedExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
    boolean observe = applied.compareAndSet(false, true);
    if (observe) reportResponse(info);
    HttpResponse.BodySubscriber<T> subscriber = delegate.apply(info);
    if (!observe || subscriber == null) return subscriber;
    return new TeeBodySubscriber<>(subscriber, exchange, contentLength(info));
  }

  private void reportResponse(HttpResponse.ResponseInfo info) {
    try {
      exchange.response(info.statusCode(), new HttpHeadersLookup(info.headers()));
    } catch (Throwable ignored) {
      // observing never breaks the call
    }
  }

  /** The response's Content-Length, or -1 when it has none (or it cannot be read). */
  private static long contentLength(HttpResponse.ResponseInfo info) {
    try {
      return info.headers().firstValueAsLong("content-length").orElse(-1L);
    } catch (Throwable t) {
      return -1;
    }
  }
}
