package dev.llmotel.hook.reactornetty.v1.helper;

import io.netty.util.concurrent.EventExecutor;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.netty.Connection;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.context.Context;

/**
 * A response's inbound as the application gets it from {@code receiveObject()}. Its first subscriber (Reactor Netty
 * accepts one) is followed by the exchange: each message is copied just before that subscriber gets it, while the
 * buffer is valid (Reactor Netty releases it once {@code onNext} returns; the tee neither retains nor releases it).
 * Complete → the body's end, when the client had received all of it and the application every piece (or every
 * byte of a {@code Content-Length}: a parser that knows the length stops there, maybe before the client saw the
 * end); complete because the connection was disposed of first, or cancel before that → closed early (abandoned);
 * error → failed, unless the application is shutting the client's event loops down (its connections close then:
 * abandoned).
 */
final class TeeInbound extends Flux<Object> {
  private final Flux<?> source;
  private final ReactorExchange exchange;
  private final Object operations;
  /** The body's announced length, or -1. */
  private final long contentLength;
  /** Body bytes handed on so far (written on the event loop, read by whatever thread cancels). */
  private volatile long delivered;
  /** The connection's event loop, or null. */
  private final EventExecutor eventLoop;

  TeeInbound(Flux<?> source, ReactorExchange exchange, Object operations) {
    this.source = source;
    this.exchange = exchange;
    this.operations = operations;
    this.contentLength = contentLength(operations);
    this.eventLoop = eventLoop(operations);
  }

  private static EventExecutor eventLoop(Object operations) {
    try {
      return ((Connection) operations).channel().eventLoop();
    } catch (Throwable t) {
      // operations already detached from their channel: the whole body has arrived, no connection can break it
      return null;
    }
  }

  /**
   * Whether the application is shutting the client's event loops down (as Spring's {@code ReactorResourceFactory}
   * does when its context closes): the connections they close are the application's own doing.
   */
  private boolean clientShuttingDown() {
    try {
      return eventLoop != null && eventLoop.isShuttingDown();
    } catch (Throwable t) {
      return false;
    }
  }

  private static long contentLength(Object operations) {
    try {
      String length = ((HttpClientResponse) operations).responseHeaders().get("content-length");
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (Throwable t) {
      return -1;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void subscribe(CoreSubscriber<? super Object> actual) {
    boolean followed;
    try {
      followed = exchange.claimBody(operations);
    } catch (Throwable t) {
      followed = false;
    }
    ((Flux<Object>) source).subscribe(followed ? new TeeSubscriber(actual) : actual);
  }

  /** Whether the application got the whole body: its announced length, or all the client received to its end. */
  private boolean wholeBodyDelivered() {
    if (contentLength >= 0 && delivered >= contentLength) return true;
    try {
      return ((ChannelOperations<?, ?>) operations).isInboundDisposed();
    } catch (Throwable t) {
      return false;
    }
  }

  private final class TeeSubscriber implements CoreSubscriber<Object>, Subscription {
    private final CoreSubscriber<? super Object> actual;
    private Subscription upstream;

    TeeSubscriber(CoreSubscriber<? super Object> actual) {
      this.actual = actual;
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription s) {
      upstream = s;
      actual.onSubscribe(this);
    }

    @Override
    public void onNext(Object message) {
      delivered += exchange.responseBody(message);
      actual.onNext(message);
    }

    @Override
    public void onError(Throwable error) {
      // a stream the application left unread (a cancel that never came up, e.g. held by an operator) and whose
      // connection closed because the application shut its client down: abandoned, as a stream it closed
      if (clientShuttingDown()) exchange.responseBodyClosed();
      else exchange.failed(error);
      actual.onError(error);
    }

    @Override
    public void onComplete() {
      if (wholeBodyDelivered()) exchange.responseBodyEnd();
      else exchange.responseBodyClosed();
      actual.onComplete();
    }

    @Override
    public void request(long n) {
      upstream.request(n);
    }

    @Override
    public void cancel() {
      // a cancel once every byte arrived and was handed on is the body's end (a parser stops at its last byte)
      if (wholeBodyDelivered()) exchange.responseBodyEnd();
      else exchange.responseBodyClosed();
      upstream.cancel();
    }
  }
}
