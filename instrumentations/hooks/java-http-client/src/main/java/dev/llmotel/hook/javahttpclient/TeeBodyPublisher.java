package dev.llmotel.hook.javahttpclient;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body publisher the client cannot tell from the application's: same length, same buffers, same signals,
 * in the same order, and the exchange sees each buffer as the client takes it (its position untouched). For the
 * publishers that cannot be read twice (an input stream, a file, {@code BodyPublishers.fromPublisher} as Spring's
 * {@code JdkClientHttpRequestFactory} and WebClient's JDK connector send them, an application's own). Only the first
 * subscription is reported: the client subscribes again only to send the same body again (a redirect, an
 * authentication retry), which is the same request body.
 */
final class TeeBodyPublisher implements HttpRequest.BodyPublisher {
  private final HttpRequest.BodyPublisher delegate;
  private final GuardedExchange exchange;
  private final AtomicBoolean reported = new AtomicBoolean();

  TeeBodyPublisher(HttpRequest.BodyPublisher delegate, GuardedExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    delegate.subscribe(reported.compareAndSet(false, true) ? new Tee(subscriber, exchange) : subscriber);
  }

  /** Passes everything through, reporting the buffers and the end on the way. */
  private static final class Tee implements Flow.Subscriber<ByteBuffer> {
    private final Flow.Subscriber<? super ByteBuffer> target;
    private final GuardedExchange exchange;

    Tee(Flow.Subscriber<? super ByteBuffer> target, GuardedExchange exchange) {
      this.target = target;
      this.exchange = exchange;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      target.onSubscribe(subscription);
    }

    @Override
    public void onNext(ByteBuffer item) {
      exchange.requestBody(item);
      target.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      exchange.requestBodyEnd();
      target.onError(throwable);
    }

    @Override
    public void onComplete() {
      exchange.requestBodyEnd();
      target.onComplete();
    }
  }
}
