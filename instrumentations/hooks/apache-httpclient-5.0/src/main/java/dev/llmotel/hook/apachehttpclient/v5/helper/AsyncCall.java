package dev.llmotel.hook.apachehttpclient.v5.helper;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.Exchanges;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;

/**
 * One async application call, shared by its wrapped producer and consumer (which the client drives from the caller's
 * thread and its I/O reactor threads). Everything here is a few field updates and a hand-over to the exchange, which
 * only queues: nothing blocks a reactor thread. The exchange ends once: at the response body's end (or at once when
 * the response has none), at a failure, or, when the application cancelled the future or the client released the
 * consumer before the end, as abandoned (as ended normally if every byte of a body of known length had been
 * delivered).
 */
final class AsyncCall {
  private static final int COPY_CHUNK = 16 * 1024;

  private final HttpHost target;
  private boolean begun;
  private Exchange exchange;
  private boolean cancelled;
  /** Request bytes reported so far: a retry that produces the body again from its start is not reported twice. */
  private long requestReported;
  private boolean requestEnded;
  private boolean responded;
  private long contentLength = -1;
  private long delivered;
  private boolean ended;

  AsyncCall(HttpHost target) {
    this.target = target;
  }

  /**
   * The producer hands the client its request head: decide whether this is an LLM call, and return the head the
   * client gets (the application's own, or a view of it carrying the trace context header as well).
   */
  synchronized HttpRequest begin(HttpRequest request, EntityDetails entity) {
    if (begun) return request;
    begun = true;
    try {
      exchange = Exchanges.begin(Requests.describe(target, request));
      if (exchange == null) return request;
      Map<String, String> extra = null;
      for (Map.Entry<String, String> h : exchange.propagationHeaders().entrySet()) {
        if (request.containsHeader(h.getKey())) continue;
        if (extra == null) extra = new LinkedHashMap<String, String>(2);
        extra.put(h.getKey(), h.getValue());
      }
      if (entity == null) endRequest();
      return extra == null ? request : new PropagatedRequest(request, extra);
    } catch (Throwable t) {
      return request;
    }
  }

  synchronized boolean observed() {
    return exchange != null;
  }

  /**
   * Bytes the client took from a request buffer for one attempt, which had already taken {@code attemptOffset} bytes;
   * only those beyond what an earlier attempt showed are reported.
   */
  synchronized void requestBytes(ByteBuffer taken, long attemptOffset) {
    if (exchange == null || requestEnded) return;
    int length = taken.remaining();
    long skip = Math.min(length, Math.max(0, requestReported - attemptOffset));
    if (skip >= length) return;
    try {
      if (taken.hasArray()) {
        exchange.requestBody(taken.array(), taken.arrayOffset() + taken.position() + (int) skip, length - (int) skip);
      } else {
        ByteBuffer copy = taken.duplicate();
        copy.position(copy.position() + (int) skip);
        byte[] chunk = new byte[Math.min(copy.remaining(), COPY_CHUNK)];
        while (copy.hasRemaining()) {
          int n = Math.min(chunk.length, copy.remaining());
          copy.get(chunk, 0, n);
          exchange.requestBody(chunk, 0, n);
        }
      }
    } catch (Throwable ignored) {
      // observing never breaks the upload
    }
    requestReported = attemptOffset + length;
  }

  synchronized void requestEnd() {
    if (exchange == null) return;
    endRequest();
  }

  private void endRequest() {
    if (requestEnded) return;
    requestEnded = true;
    exchange.requestBodyEnd();
  }

  /** The response head the application's consumer gets (the final one: the client keeps retried ones to itself). */
  synchronized void response(HttpResponse response, EntityDetails entity) {
    if (exchange == null || responded || ended) return;
    responded = true;
    try {
      exchange.response(response.getCode(), Requests.headers(response));
      if (entity == null) {
        ended = true;
        exchange.responseWithoutBody();
      } else {
        contentLength = entity.getContentLength();
      }
    } catch (Throwable t) {
      ended = true;
      exchange.responseWithoutBody();
    }
  }

  /** Bytes the application's consumer is handed; the buffer is left as it is. */
  synchronized void responseBytes(ByteBuffer src) {
    if (exchange == null || ended || !responded) return;
    delivered += src.remaining();
    exchange.responseBody(src);
  }

  synchronized void responseEnd() {
    if (exchange == null || ended) return;
    ended = true;
    if (responded) exchange.responseBodyEnd();
    else exchange.responseWithoutBody();
  }

  /** A failure the client reports to the producer or the consumer (after a cancellation: passed on as one). */
  synchronized void failed(Throwable error) {
    if (exchange == null || ended) return;
    if (cancelled) {
      abandoned();
      return;
    }
    ended = true;
    exchange.failed(error);
  }

  /** The application cancelled its future. */
  synchronized void cancelled() {
    cancelled = true;
    if (exchange == null || ended) return;
    abandoned();
  }

  /** The client released the consumer: before the end, the application gave up on the call. */
  synchronized void released() {
    if (exchange == null || ended) return;
    abandoned();
  }

  private void abandoned() {
    ended = true;
    if (responded && contentLength >= 0 && delivered >= contentLength) exchange.responseBodyEnd();
    else exchange.responseBodyClosed();
  }
}
