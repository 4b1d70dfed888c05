package dev.llmotel.hook.javahttpclient;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Stands between the client and the application's {@code BodySubscriber}. The application's subscriber gets exactly
 * the same {@code List<ByteBuffer>} objects, untouched; the exchange reads them just before, through
 * {@code duplicate()} views, so it never moves a position or limit the application relies on (and has parsed every
 * byte before the application can read it and close).
 *
 * <p>End of body → {@code responseBodyEnd}; error → {@code failed}; the application cancelling its subscription
 * before the end (closing the stream of {@code ofInputStream()}, closing an {@code ofLines()} stream) →
 * {@code responseBodyClosed}; a cancel once every byte of a body of known length arrived is its end (a JSON parser
 * closes at the last byte, possibly before the client's own end signal).
 *
 * <p>Deliberately not one of the JDK's internal {@code TrustedSubscriber}s: the client then always runs
 * {@code getBody()} (and so a {@code BodySubscribers.mapping} mapper) on its executor, never on its selector thread,
 * as it does for every application subscriber; for the JDK's own subscribers that is one harmless executor hop more.
 * Checked on JDK 17 and 25, HTTP/1.1 and h2c, 200, 204 and HEAD, send and sendAsync (eighth session of issue 13).
 * Passing the delegate's trust on would also pass on JDK 25's {@code limiting(mapping(ofInputStream(), ..))} hang,
 * which the untrusted wrapper avoids.
 */
final class TeeBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
  private final HttpResponse.BodySubscriber<T> delegate;
  private final GuardedExchange exchange;
  private final long contentLength;
  /** Body bytes handed on so far (written by the client's one delivering thread at a time, read on cancel). */
  private volatile long delivered;

  /** @param contentLength the body's length, or -1 when unknown */
  TeeBodySubscriber(HttpResponse.BodySubscriber<T> delegate, GuardedExchange exchange, long contentLength) {
    this.delegate = delegate;
    this.exchange = exchange;
    this.contentLength = contentLength;
  }

  @Override
  public CompletionStage<T> getBody() {
    return delegate.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    delegate.onSubscribe(new ObservedSubscription(subscription));
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    // The exchange sees the bytes before the application can: an application that reads the end marker and closes
    // at once (on its own thread) must not end the exchange before these bytes were parsed.
    ByteBuffer[] views = views(items);
    if (views != null) {
      long n = delivered;
      for (ByteBuffer view : views) {
        n += view.remaining();
        exchange.responseBody(view);
      }
      delivered = n;
    }
    delegate.onNext(items);
  }

  private ByteBuffer[] views(List<ByteBuffer> items) {
    if (items == null || exchange.isEnded()) return null;
    try {
      ByteBuffer[] views = new ByteBuffer[items.size()];
      int i = 0;
      for (ByteBuffer item : items) views[i++] = item.duplicate();
      return views;
    } catch (Throwable t) {
      return null;
    }
  }

  @Override
  public void onError(Throwable throwable) {
    exchange.failed(throwable);
    delegate.onError(throwable);
  }

  /** The exchange ends first, so the span is over before code waiting on the application's body runs. */
  @Override
  public void onComplete() {
    exchange.responseBodyEnd();
    delegate.onComplete();
  }

  /** The subscription the application sees: its cancel before the end marks the body abandoned. */
  private final class ObservedSubscription implements Flow.Subscription {
    private final Flow.Subscription delegate;

    ObservedSubscription(Flow.Subscription delegate) {
      this.delegate = delegate;
    }

    @Override
    public void request(long n) {
      delegate.request(n);
    }

    @Override
    public void cancel() {
      if (contentLength >= 0 && delivered >= contentLength) exchange.responseBodyEnd();
      else exchange.responseBodyClosed();
      delegate.cancel();
    }
  }
}
