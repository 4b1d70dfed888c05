package dev.llmotel.export.sender;

import io.opentelemetry.exporter.internal.RetryUtil;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.HttpsURLConnection;

/**
 * OTLP/HTTP over {@link HttpURLConnection}: the agent's export path on Java 8, without any HTTP library. One request
 * per batch on the given executor; the settings the exporter's builder carries (headers, compression, timeouts,
 * retries with exponential back-off on 429/502/503/504 and connection failures, honouring {@code Retry-After}, all
 * within the export timeout; proxy, TLS context) apply.
 */
final class UrlConnectionHttpSender implements HttpSender {
  /**
   * Each failed attempt that will be retried is logged at FINER, worded as OpenTelemetry's own senders word it, so
   * that the agent's export log filter can name its cause at the first failure instead of when the retries give up.
   */
  private static final Logger logger = Logger.getLogger(UrlConnectionHttpSender.class.getName());

  private final HttpSenderConfig config;
  private final ExecutorService executor;
  private volatile boolean shutdown;

  UrlConnectionHttpSender(HttpSenderConfig config) {
    this.config = config;
    this.executor = config.getExecutorService();
  }

  @Override
  public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    if (shutdown) {
      onError.accept(new IllegalStateException("sender is shut down"));
      return;
    }
    try {
      executor.execute(() -> {
        HttpResponse response;
        try {
          response = sendWithRetries(writer);
        } catch (Throwable t) {
          onError.accept(t);
          return;
        }
        onResponse.accept(response);
      });
    } catch (RejectedExecutionException e) {
      onError.accept(e);
    }
  }

  /**
   * Sends {@code writer}'s message, retrying as OpenTelemetry's own senders do: a retryable status waits what its
   * {@code Retry-After} asks (seconds or an HTTP-date), otherwise the policy's back-off with 0.8-1.2 jitter; every
   * wait and every attempt ends by the exporter's timeout, counted from the start of this call. When the time runs out
   * (or the export thread is interrupted) the last answer is returned, or the last failure thrown. Runs only on the
   * sender's export threads ({@link #send}), never on an application thread.
   */
  HttpResponse sendWithRetries(MessageWriter writer) throws IOException {
    long start = System.nanoTime();
    long timeoutNanos = positiveOrUnbounded(config.getTimeout());
    byte[] body = body(writer);
    RetryPolicy retry = config.getRetryPolicy();
    int attempts = retry == null ? 1 : Math.max(1, retry.getMaxAttempts());
    long nextBackoffNanos = retry == null ? 0 : retry.getInitialBackoff().toNanos();
    Response response = null;
    IOException failure = null;
    for (int attempt = 1; ; attempt++) {
      response = null;
      failure = null;
      try {
        response = sendOnce(body, timeoutNanos - (System.nanoTime() - start));
        if (attempt >= attempts || !retryable(response.getStatusCode())) return response;
        if (logger.isLoggable(Level.FINER)) {
          logger.log(Level.FINER, "Attempt " + attempt + " returned retryable response: Response{code="
              + response.getStatusCode() + "}");
        }
      } catch (IOException e) {
        if (attempt >= attempts || !retryable(retry, e)) throw e;
        logger.log(Level.FINER, "Attempt " + attempt + " failed with retryable exception", e);
        failure = e;
      }
      long backoffNanos = Math.min(nextBackoffNanos, retry.getMaxBackoff().toNanos());
      nextBackoffNanos = (long) (backoffNanos * retry.getBackoffMultiplier());
      OptionalLong retryAfter = response == null ? OptionalLong.empty() : RetryUtil.retryAfterNanos(response.retryAfter);
      long waitNanos = retryAfter.isPresent() ? retryAfter.getAsLong()
          : (long) (ThreadLocalRandom.current().nextDouble(0.8d, 1.2d) * backoffNanos);
      long remainingNanos = timeoutNanos - (System.nanoTime() - start);
      if (remainingNanos <= 0) break;
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(waitNanos, remainingNanos));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (System.nanoTime() - start >= timeoutNanos) break;
    }
    if (response != null) return response;
    throw failure;
  }

  /** A timeout's nanoseconds; none (null or zero, as the exporter builders say) is unbounded. */
  private static long positiveOrUnbounded(Duration timeout) {
    return timeout == null || timeout.isZero() || timeout.isNegative() ? Long.MAX_VALUE : timeout.toNanos();
  }

  private byte[] body(MessageWriter writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(32, writer.getContentLength()));
    Compressor compressor = config.getCompressor();
    if (compressor == null) {
      writer.writeMessage(bytes);
    } else {
      OutputStream out = compressor.compress(bytes);
      writer.writeMessage(out);
      out.close();
    }
    return bytes.toByteArray();
  }

  /** One attempt, which ends (connecting, then each read) by {@code remainingNanos}, what is left of the timeout. */
  private Response sendOnce(byte[] body, long remainingNanos) throws IOException {
    URI endpoint = config.getEndpoint();
    Proxy proxy = Proxy.NO_PROXY;
    if (config.getProxyOptions() != null) {
      List<Proxy> proxies = config.getProxyOptions().getProxySelector().select(endpoint);
      if (proxies != null && !proxies.isEmpty()) proxy = proxies.get(0);
    }
    HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection(proxy);
    try {
      if (c instanceof HttpsURLConnection && config.getSslContext() != null) {
        ((HttpsURLConnection) c).setSSLSocketFactory(config.getSslContext().getSocketFactory());
      }
      c.setConnectTimeout(millis(Math.min(positiveOrUnbounded(config.getConnectTimeout()), remainingNanos)));
      c.setReadTimeout(millis(remainingNanos));
      c.setUseCaches(false);
      c.setInstanceFollowRedirects(false);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", config.getContentType());
      if (config.getCompressor() != null) c.setRequestProperty("Content-Encoding", config.getCompressor().getEncoding());
      Map<String, List<String>> headers = config.getHeadersSupplier() == null ? null : config.getHeadersSupplier().get();
      if (headers != null) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
          // only values a header can carry reach here (SendableHeaders, on the provider's config)
          for (String v : h.getValue()) c.addRequestProperty(h.getKey(), v);
        }
      }
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      String message = c.getResponseMessage();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      byte[] responseBody = read(in, config.getMaxResponseBodySize());
      String retryAfter = retryable(status) ? c.getHeaderField("Retry-After") : null;
      return new Response(status, message == null ? "" : message, responseBody, retryAfter);
    } finally {
      // the connection itself stays in the JDK's keep-alive cache: the body was read to its end (or cut)
      if (shutdown) c.disconnect();
    }
  }

  /** Nanoseconds as a connection timeout: at least 1 ms (0 would mean none), at most what an int holds. */
  private static int millis(long nanos) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)));
  }

  private static byte[] read(InputStream in, long limit) throws IOException {
    if (in == null) return new byte[0];
    try (InputStream stream = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      long max = limit <= 0 ? Long.MAX_VALUE : limit;
      int n;
      while ((n = stream.read(buf)) != -1) {
        int keep = (int) Math.min(n, max - out.size());
        if (keep > 0) out.write(buf, 0, keep);
      }
      return out.toByteArray();
    }
  }

  /** The statuses OpenTelemetry's own senders retry (429, 502, 503, 504). */
  private static boolean retryable(int status) {
    return RetryUtil.retryableHttpResponseCodes().contains(status);
  }

  private static boolean retryable(RetryPolicy retry, IOException e) {
    if (retry == null) return false;
    if (retry.getRetryExceptionPredicate() != null) return retry.getRetryExceptionPredicate().test(e);
    // as OpenTelemetry's own senders: a timeout, an unknown host, a refused, reset or closed connection
    return e instanceof SocketTimeoutException || e instanceof java.net.UnknownHostException
        || e instanceof java.net.SocketException;
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    return CompletableResultCode.ofSuccess();
  }

  private static final class Response implements HttpResponse {
    private final int status;
    private final String message;
    private final byte[] body;
    /** The {@code Retry-After} header of a retryable answer, or null */
    final String retryAfter;

    Response(int status, String message, byte[] body, String retryAfter) {
      this.status = status;
      this.message = message;
      this.body = body;
      this.retryAfter = retryAfter;
    }

    @Override public int getStatusCode() { return status; }
    @Override public String getStatusMessage() { return message; }
    @Override public byte[] getResponseBody() { return body; }
  }
}
