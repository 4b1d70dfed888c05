package dev.llmotel.hook.reactornetty.v1.helper;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.HeaderLookup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Collections;
import java.util.Map;

/**
 * One application subscription's exchange as this hook reports it. The events come from the connection's event loop
 * (request written, response, body buffers) and from whatever thread cancels; every report is made under this
 * object's lock, so they reach the exchange in order and nothing follows the one terminal event. Every call is
 * guarded: nothing reaches the application.
 *
 * <p>Which request counts: the first one written. Reactor Netty may write the request again (a pooled connection
 * reset before anything was sent, a redirect); those attempts get the trace context header too, but the exchange
 * saw the body once. Which response counts: the one the client emits to the application (redirects never reach it).
 */
final class ReactorExchange {
  /** The key under which the exchange travels in the subscriber's Reactor context (one per helper loader). */
  static final Object KEY = ReactorExchange.class;
  private static final int CHUNK = 16 * 1024;

  private final Exchange exchange;
  private final RequestTarget.Headers requestHeaders;
  private Map<String, String> propagation;
  private boolean requestEnded;
  private boolean responded;
  private boolean bodyClaimed;
  private boolean ended;
  private Object responseOperations;
  /** Whether the exchange is among the {@link UnreadResponses}. */
  private boolean listedUnread;

  ReactorExchange(Exchange exchange, RequestTarget.Headers requestHeaders) {
    this.exchange = exchange;
    this.requestHeaders = requestHeaders;
  }

  // --- request side, from the connection's pipeline ---

  /** Whether a request being written now belongs to this exchange (it has not ended nor got its response). */
  synchronized boolean acceptsRequest() {
    return !ended && !responded;
  }

  /** The trace context headers, asked of the exchange once. */
  synchronized Map<String, String> propagationHeaders() {
    if (propagation == null) {
      try {
        Map<String, String> headers = exchange.propagationHeaders();
        propagation = headers == null ? Collections.<String, String>emptyMap() : headers;
      } catch (Throwable t) {
        propagation = Collections.emptyMap();
      }
    }
    return propagation;
  }

  /** The headers of a request as the application made it, kept from the first attempt for the request's look-up. */
  synchronized void requestWritten(HttpHeaders headers) {
    if (!requestEnded) requestHeaders.sent(headers);
  }

  synchronized void requestBody(ByteBuf content) {
    if (ended || requestEnded || responded) return;
    try {
      int readable = content.readableBytes();
      if (readable <= 0) return;
      int from = content.readerIndex();
      if (content.hasArray()) {
        exchange.requestBody(content.array(), content.arrayOffset() + from, readable);
        return;
      }
      byte[] chunk = new byte[Math.min(readable, CHUNK)];
      for (int done = 0; done < readable; ) {
        int n = Math.min(chunk.length, readable - done);
        content.getBytes(from + done, chunk, 0, n);
        exchange.requestBody(chunk, 0, n);
        done += n;
      }
    } catch (Throwable ignored) {
      // observing never breaks the call
    }
  }

  synchronized void requestBodyEnd() {
    if (ended || requestEnded) return;
    requestEnded = true;
    try {
      exchange.requestBodyEnd();
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  // --- response side ---

  /** The client emitted these operations (status and headers arrived) to the application. */
  synchronized void response(Object operations, int status, HeaderLookup headers) {
    if (ended || responded) return;
    responded = true;
    responseOperations = operations;
    try {
      // found there even once Reactor Netty dropped the operations' context (the whole body arrived unread)
      UnreadResponses.add(operations, this);
      listedUnread = true;
    } catch (Throwable ignored) {
      // then only through the context
    }
    try {
      if (!requestEnded) {
        // the server answered before the request's end was written: the request is over all the same
        requestEnded = true;
        exchange.requestBodyEnd();
      }
      exchange.response(status, headers);
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  /** True once for the response's own inbound: its first subscriber is the one the exchange follows. */
  synchronized boolean claimBody(Object operations) {
    if (ended || bodyClaimed || operations != responseOperations) return false;
    bodyClaimed = true;
    unlist();
    return true;
  }

  synchronized boolean isResponse(Object operations) {
    return !ended && operations == responseOperations;
  }

  private void unlist() {
    if (!listedUnread) return;
    listedUnread = false;
    try {
      UnreadResponses.remove(responseOperations, this);
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  /**
   * A body message (a buffer or an HTTP content) about to reach the application: copied while it is valid.
   *
   * @return its bytes
   */
  synchronized int responseBody(Object message) {
    int readable = 0;
    try {
      ByteBuf content = message instanceof ByteBuf ? (ByteBuf) message
          : message instanceof ByteBufHolder ? ((ByteBufHolder) message).content() : null;
      if (content == null) return 0;
      readable = content.readableBytes();
      if (readable <= 0 || ended) return readable;
      int from = content.readerIndex();
      if (content.hasArray()) {
        exchange.responseBody(content.array(), content.arrayOffset() + from, readable);
      } else if (content.nioBufferCount() == 1) {
        exchange.responseBody(content.nioBuffer(from, readable));
      } else {
        byte[] chunk = new byte[Math.min(readable, CHUNK)];
        for (int done = 0; done < readable; ) {
          int n = Math.min(chunk.length, readable - done);
          content.getBytes(from + done, chunk, 0, n);
          exchange.responseBody(chunk, 0, n);
          done += n;
        }
      }
    } catch (Throwable ignored) {
      // see requestBody
    }
    return readable;
  }

  /** The client dropped the response's inbound; ends the exchange if nobody subscribed to the body. */
  synchronized void discarded(Object operations, boolean wholeBodyArrived) {
    if (ended || bodyClaimed || operations != responseOperations) return;
    if (wholeBodyArrived) responseWithoutBody();
    else responseBodyClosed();
  }

  // --- the connection Mono, before a response ---

  /** The application cancelled before the response: abandoned. After it, the body's signals decide. */
  synchronized void cancelledBeforeResponse() {
    if (!responded) responseBodyClosed();
  }

  synchronized void failedBeforeResponse(Throwable error) {
    if (!responded) failed(error);
  }

  // --- terminal events: exactly one ---

  synchronized boolean isEnded() {
    return ended;
  }

  synchronized void responseBodyEnd() {
    if (ended) return;
    ended = true;
    unlist();
    try {
      exchange.responseBodyEnd();
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  synchronized void responseBodyClosed() {
    if (ended) return;
    ended = true;
    unlist();
    try {
      exchange.responseBodyClosed();
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  synchronized void responseWithoutBody() {
    if (ended) return;
    ended = true;
    unlist();
    try {
      exchange.responseWithoutBody();
    } catch (Throwable ignored) {
      // see requestBody
    }
  }

  synchronized void failed(Throwable error) {
    if (ended) return;
    ended = true;
    unlist();
    try {
      exchange.failed(error);
    } catch (Throwable ignored) {
      // see requestBody
    }
  }
}
