package dev.llmotel.export.sender;

import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/** A plain sender configuration: no compression, no proxy, 10 s timeouts, the default retry policy (or the given). */
final class TestConfig implements HttpSenderConfig {
  private final URI endpoint;
  private final Duration timeout;
  private final RetryPolicy retry;

  TestConfig(URI endpoint) {
    this(endpoint, Duration.ofSeconds(10), RetryPolicy.getDefault());
  }

  TestConfig(URI endpoint, Duration timeout, RetryPolicy retry) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.retry = retry;
  }

  @Override public URI getEndpoint() { return endpoint; }
  @Override public String getContentType() { return "application/x-protobuf"; }
  @Override public Compressor getCompressor() { return null; }
  @Override public Duration getTimeout() { return timeout; }
  @Override public Duration getConnectTimeout() { return Duration.ofSeconds(10); }
  @Override public Supplier<Map<String, List<String>>> getHeadersSupplier() { return Collections::emptyMap; }
  @Override public ProxyOptions getProxyOptions() { return null; }
  @Override public RetryPolicy getRetryPolicy() { return retry; }
  @Override public SSLContext getSslContext() { return null; }
  @Override public X509TrustManager getTrustManager() { return null; }
  @Override public ExecutorService getExecutorService() { return null; }
}
