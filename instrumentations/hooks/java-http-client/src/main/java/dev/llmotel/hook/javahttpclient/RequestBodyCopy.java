package dev.llmotel.hook.javahttpclient;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * Shows the exchange a request body by subscribing to its publisher a second time, which is safe only for the
 * in-memory publishers of {@code BodyPublishers.ofString} and {@code ofByteArray}: each subscription reads a fresh
 * copy of the same bytes, synchronously; and only for small ones, since that copy is the whole body. Any other
 * publisher (an input stream, a file, an application-supplied {@code Iterable} or {@code Publisher} that might be
 * one-shot or have side effects) is never subscribed to; the exchange then sees no request bytes.
 */
final class RequestBodyCopy implements Flow.Subscriber<ByteBuffer> {
  private static final String PUBLISHERS = "jdk.internal.net.http.RequestPublishers$";

  private final GuardedExchange exchange;
  private Flow.Subscription subscription;
  private boolean open = true;
  private boolean complete;

  private RequestBodyCopy(GuardedExchange exchange) {
    this.exchange = exchange;
  }

  /** Reports the body (when it can be read safely) and then the end of the request body. */
  static void report(Optional<HttpRequest.BodyPublisher> body, GuardedExchange exchange) {
    try {
      if (body.isPresent() && isRepeatable(body.get())) {
        RequestBodyCopy copy = new RequestBodyCopy(exchange);
        body.get().subscribe(copy);
        copy.close();
      }
    } catch (Throwable ignored) {
      // the application's own subscription is unaffected
    }
    exchange.requestBodyEnd();
  }

  /**
   * Bodies up to this size are copied; a larger one goes through a {@code TeeBodyPublisher} instead, because each
   * subscription of the JDK's in-memory publishers copies the whole body first (a 20 MB vision request would cost a
   * second 20 MB on the application's thread).
   */
  static final long MAX_COPIED_BYTES = 64 * 1024;

  /**
   * True for the JDK's in-memory publishers (matched by class name: they live in a non-exported package) of at most
   * {@link #MAX_COPIED_BYTES}: the bodies this reads.
   */
  static boolean isRepeatable(HttpRequest.BodyPublisher publisher) {
    String name = publisher.getClass().getName();
    return (name.equals(PUBLISHERS + "ByteArrayPublisher") || name.equals(PUBLISHERS + "StringPublisher"))
        && publisher.contentLength() <= MAX_COPIED_BYTES;
  }

  /** Stops listening: whatever did not arrive synchronously within {@code subscribe} is not reported. */
  private synchronized void close() {
    open = false;
    if (!complete && subscription != null) subscription.cancel();
  }

  @Override
  public synchronized void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (open) s.request(Long.MAX_VALUE);
    else s.cancel();
  }

  @Override
  public synchronized void onNext(ByteBuffer item) {
    if (open) exchange.requestBody(item);
  }

  @Override
  public synchronized void onError(Throwable throwable) {
    complete = true;
  }

  @Override
  public synchronized void onComplete() {
    complete = true;
  }
}
