package dev.llmotel.hook.javahttpclient;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * Shows the exchange a request body by subscribing to its publisher a second time, which is safe only for the
 * in-memory publishers of {@code BodyPublishers.ofString} and {@code ofByteArray}: each subscription reads a fresh
 * copy of the same bytes, synchronously. Any other publisher (an input stream, a file, an application-supplied
 * {@code Iterable} or {@code Publisher} that might be one-shot or have side effects) is never subscribed to; the
 * exchange then sees no request bytes.
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

  /** True for the JDK's in-memory publishers (matched by class name: they live in a non-exported package). */
  static boolean isRepeatable(HttpRequest.BodyPublisher publisher) {
    String name = publisher.getClass().getName();
    return name.equals(PUBLISHERS + "ByteArrayPublisher") || name.equals(PUBLISHERS + "StringPublisher");
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
