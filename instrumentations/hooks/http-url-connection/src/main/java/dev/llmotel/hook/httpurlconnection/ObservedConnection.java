package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.config.ExportThreads;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.Exchanges;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What this hook knows about one connection object, which makes at most one request: whether it is an LLM call, and
 * if so its exchange, reported to exactly once per step whichever thread (the application's reader, another one
 * calling {@code disconnect()}, the registry noticing the object was collected) gets there first.
 *
 * <p>Nothing here references the connection: the registry holds it weakly, and a strong path from this state back to
 * it would keep it alive for good. The teed streams (which do hold it, so it lives as long as the application reads
 * its body) are held weakly for the same reason.
 */
final class ObservedConnection {
  private enum Ending { END, CLOSED, WITHOUT_BODY, FAILED }

  private final Object beginLock = new Object();
  private boolean decided;
  /** The exchange until it ended; null for a connection that is not an LLM call, and after the end. */
  private volatile Exchange exchange;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean requestEnded = new AtomicBoolean();
  private final AtomicBoolean responseReported = new AtomicBoolean();
  private volatile long contentLength = -1;
  /** Response body bytes the application read (one reading thread at a time, as for the stream itself). */
  private volatile long delivered;
  private WeakReference<TeeRequestStream> requestStream;
  private WeakReference<TeeResponseStream> responseStream;

  /**
   * Asks whether this connection is an LLM call, once; for one, sets the trace context headers the application did
   * not set. Called on the application's thread before the request is sent.
   *
   * @param requestHeaders the headers the application set (including those {@code getRequestProperty} hides); null
   *     when the connection was already connected when first seen (the request may have left: it is not observed)
   */
  void beginOnce(HttpURLConnection connection, Map<String, List<String>> requestHeaders) {
    synchronized (beginLock) {
      if (decided) return;
      decided = true;
      if (requestHeaders == null || ExportThreads.isCurrent()) return; // (the agent's own export: never traced)
      HeaderSnapshot headers = HeaderSnapshot.of(requestHeaders);
      Exchange begun = Exchanges.begin(describe(connection, headers));
      if (begun == null) return;
      exchange = begun;
      propagate(connection, headers, begun);
    }
  }

  /** True once the exchange began (and possibly ended): the connection's calls are observed. */
  boolean observed() {
    synchronized (beginLock) {
      return decided && (exchange != null || ended.get());
    }
  }

  static ExchangeRequest describe(HttpURLConnection connection, HeaderSnapshot headers) {
    URL url = connection.getURL();
    String method = connection.getRequestMethod();
    // getOutputStream() turns a GET into a POST ("backward compatibility"): the request that will leave
    if ("GET".equals(method) && connection.getDoOutput()) method = "POST";
    return new ExchangeRequest(method, url.getProtocol(), url.getHost(), url.getPort(), url.getPath(),
        url.getQuery(), headers);
  }

  private static void propagate(HttpURLConnection connection, HeaderSnapshot headers, Exchange exchange) {
    Map<String, String> propagation;
    try {
      propagation = exchange.propagationHeaders();
    } catch (Throwable t) {
      return;
    }
    if (propagation == null) return;
    for (Map.Entry<String, String> header : propagation.entrySet()) {
      if (headers.get(header.getKey()) != null) continue; // the application's own header wins
      try {
        connection.setRequestProperty(header.getKey(), header.getValue());
      } catch (Throwable ignored) {
        // already connecting (the request left without it): the trace just is not propagated
      }
    }
  }

  // --- request ---

  /** The stream the application writes the body to: the same tee for the same underlying stream. */
  synchronized OutputStream requestStream(OutputStream raw, Object connection) {
    if (raw == null || exchange == null || requestEnded.get()) return raw;
    TeeRequestStream tee = requestStream == null ? null : requestStream.get();
    if (tee != null) return tee.wraps(raw) ? tee : raw;
    tee = new TeeRequestStream(raw, this, connection);
    requestStream = new WeakReference<TeeRequestStream>(tee);
    return tee;
  }

  void requestBytes(byte[] bytes, int offset, int length) {
    Exchange e = exchange;
    if (e == null || length <= 0 || requestEnded.get()) return;
    try {
      e.requestBody(bytes, offset, length);
    } catch (Throwable ignored) {
      // observing never breaks the call
    }
  }

  /** The request body is complete (its stream closed, or the response is arriving): reported once. */
  void requestEnd() {
    TeeRequestStream tee;
    synchronized (this) {
      tee = requestStream == null ? null : requestStream.get();
    }
    if (tee != null) tee.flushPending();
    Exchange e = exchange;
    if (e == null || !requestEnded.compareAndSet(false, true)) return;
    try {
      e.requestBodyEnd();
    } catch (Throwable ignored) {
      // see requestBytes
    }
  }

  // --- response ---

  /**
   * The status line and headers arrived: reported once, after the request's end. A response that has no body by
   * HTTP's rules (HEAD, 1xx, 204, 304, {@code Content-Length: 0}) ends the exchange here.
   */
  void response(HttpURLConnection connection, int status) {
    if (exchange == null || responseReported.get()) return;
    HeaderSnapshot headers;
    try {
      headers = HeaderSnapshot.of(connection.getHeaderFields());
    } catch (Throwable t) {
      headers = HeaderSnapshot.EMPTY;
    }
    response(status, headers, "HEAD".equals(connection.getRequestMethod()));
  }

  void response(int status, HeaderSnapshot headers, boolean head) {
    if (exchange == null || !responseReported.compareAndSet(false, true)) return;
    requestEnd();
    Exchange e = exchange;
    if (e == null) return;
    contentLength = headers.contentLength();
    try {
      e.response(status, headers);
    } catch (Throwable ignored) {
      // see requestBytes
    }
    if (head || status < 200 || status == 204 || status == 304 || contentLength == 0) {
      end(Ending.WITHOUT_BODY, null);
    }
  }

  /**
   * The body stream the application reads (from {@code getInputStream} or {@code getErrorStream}): the same tee for
   * the same underlying stream; the stream itself when there is nothing (more) to observe.
   */
  synchronized InputStream responseStream(InputStream raw, Object connection) {
    if (raw == null || !responseReported.get()) return raw;
    TeeResponseStream tee = responseStream == null ? null : responseStream.get();
    if (tee != null) return tee.wraps(raw) ? tee : raw;
    if (exchange == null) return raw;
    tee = new TeeResponseStream(raw, this, connection);
    responseStream = new WeakReference<TeeResponseStream>(tee);
    return tee;
  }

  boolean responseReported() {
    return responseReported.get();
  }

  /** Bytes the application read; a body of known length read to its last byte is complete. */
  void responseBytes(byte[] bytes, int offset, int length) {
    Exchange e = exchange;
    if (e == null || length <= 0) return;
    long total = delivered + length;
    delivered = total;
    try {
      e.responseBody(bytes, offset, length);
    } catch (Throwable ignored) {
      // see requestBytes
    }
    long expected = contentLength;
    if (expected >= 0 && total >= expected) end(Ending.END, null);
  }

  /**
   * The application read the end of the body. Before the announced Content-Length it is a broken connection: JDK 21+
   * throws {@code IOException: Premature EOF} to the application there (and the read's exception fails the exchange
   * first), while JDK 17 and older return a plain end of stream; the exchange fails the same way on both.
   */
  void responseEnd() {
    long expected = contentLength;
    long got = delivered;
    if (expected >= 0 && got < expected) {
      end(Ending.FAILED, new IOException("Premature EOF: the body ended after " + got + " of its " + expected
          + " bytes"));
    } else {
      end(Ending.END, null);
    }
  }

  /**
   * The application closed the body, disconnected, or dropped the connection object: complete if every byte of a
   * body of known length was read, else abandoned (also when no response had arrived yet).
   */
  void released() {
    long expected = contentLength;
    boolean complete = responseReported.get() && expected >= 0 && delivered >= expected;
    end(complete ? Ending.END : Ending.CLOSED, null);
  }

  /** The call failed with this exception, which the application gets too. */
  void failed(Throwable error) {
    end(Ending.FAILED, error);
  }

  private void end(Ending ending, Throwable error) {
    Exchange e = exchange;
    if (e == null || !ended.compareAndSet(false, true)) return;
    exchange = null;
    try {
      switch (ending) {
        case END:
          e.responseBodyEnd();
          break;
        case CLOSED:
          e.responseBodyClosed();
          break;
        case WITHOUT_BODY:
          e.responseWithoutBody();
          break;
        default:
          e.failed(error);
      }
    } catch (Throwable ignored) {
      // see requestBytes
    }
  }
}
