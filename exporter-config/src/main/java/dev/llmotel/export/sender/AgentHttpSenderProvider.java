package dev.llmotel.export.sender;

import dev.llmotel.config.AgentLog;
import dev.llmotel.config.ExportThreads;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * The agent's OTLP/HTTP sender: {@link UrlConnectionHttpSender} by default, OpenTelemetry's {@code java.net.http}
 * sender ({@code opentelemetry-exporter-sender-jdk}) when {@code otel.instrumentation.llm.export.sender} is
 * {@code jdk} (Java 11+). HttpURLConnection is the default because it is the lighter one to start: a one-call
 * openai-java run loads about 560 classes fewer with it than with {@code java.net.http} (whose client also
 * initialises the default TLS context even for an {@code http://} endpoint), and about 230 fewer than with the OkHttp
 * sender used before (BENCHMARKS.md). Either sends on the agent's export threads ({@link ExportThreads}), which the JDK
 * clients' hooks never trace.
 */
public final class AgentHttpSenderProvider implements HttpSenderProvider {
  static final String JDK_PROVIDER = "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider";

  private final boolean urlConnection;

  /** @param setting {@code url-connection} (the default, also for null), or {@code jdk} */
  public AgentHttpSenderProvider(String setting) {
    String s = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
    boolean jdkClient = javaNetHttpPresent();
    if (!s.isEmpty() && !s.equals("jdk") && !s.equals("url-connection")) {
      AgentLog.warn("otel.instrumentation.llm.export.sender=" + setting + " is not one of jdk, url-connection: ignored");
    }
    if (s.equals("jdk") && !jdkClient) AgentLog.warn("export sender jdk needs Java 11+: using url-connection");
    this.urlConnection = !s.equals("jdk") || !jdkClient;
  }

  /** Which sender this provider makes: {@code jdk} or {@code url-connection}. */
  public String kind() {
    return urlConnection ? "url-connection" : "jdk";
  }

  @Override
  public HttpSender createSender(HttpSenderConfig config) {
    ExecutorService executor = newExecutor();
    HttpSenderConfig onExportThreads = new WithExecutor(config, executor);
    HttpSender sender;
    if (urlConnection) {
      sender = new UrlConnectionHttpSender(onExportThreads);
    } else {
      try {
        sender = ((HttpSenderProvider) Class.forName(JDK_PROVIDER, true, AgentHttpSenderProvider.class.getClassLoader())
            .getDeclaredConstructor().newInstance()).createSender(onExportThreads);
      } catch (ReflectiveOperationException | LinkageError e) {
        AgentLog.debug("java.net.http export sender unavailable (" + e + "): using url-connection");
        sender = new UrlConnectionHttpSender(onExportThreads);
      }
    }
    return new ShutsDownExecutor(sender, executor);
  }

  /** Like the JDK sender's own pool (threads on demand, idle ones end after a minute), on export threads. */
  static ExecutorService newExecutor() {
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<Runnable>(),
        ExportThreads.factory());
  }

  static boolean javaNetHttpPresent() {
    try {
      Class.forName("java.net.http.HttpClient", false, ClassLoader.getSystemClassLoader());
      return true;
    } catch (Throwable t) {
      return false;
    }
  }

  /** The sender's own executor is stopped with it (a sender given an executor leaves it running). */
  private static final class ShutsDownExecutor implements HttpSender {
    private final HttpSender delegate;
    private final ExecutorService executor;

    ShutsDownExecutor(HttpSender delegate, ExecutorService executor) {
      this.delegate = delegate;
      this.executor = executor;
    }

    @Override
    public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
      delegate.send(writer, onResponse, onError);
    }

    @Override
    public CompletableResultCode shutdown() {
      CompletableResultCode done = delegate.shutdown();
      executor.shutdown();
      return done;
    }
  }

  /** The exporter's configuration, with the agent's export threads as the executor and only sendable headers. */
  private static final class WithExecutor implements HttpSenderConfig {
    private final HttpSenderConfig c;
    private final ExecutorService executor;

    private final Supplier<Map<String, List<String>>> headers;

    WithExecutor(HttpSenderConfig c, ExecutorService executor) {
      this.c = c;
      this.executor = executor;
      this.headers = c.getHeadersSupplier() == null ? null : new SendableHeaders(c.getHeadersSupplier());
    }

    @Override public URI getEndpoint() { return c.getEndpoint(); }
    @Override public String getContentType() { return c.getContentType(); }
    @Override public Compressor getCompressor() { return c.getCompressor(); }
    @Override public Duration getTimeout() { return c.getTimeout(); }
    @Override public Duration getConnectTimeout() { return c.getConnectTimeout(); }
    @Override public Supplier<Map<String, List<String>>> getHeadersSupplier() { return headers; }
    @Override public ProxyOptions getProxyOptions() { return c.getProxyOptions(); }
    @Override public RetryPolicy getRetryPolicy() { return c.getRetryPolicy(); }
    @Override public SSLContext getSslContext() { return c.getSslContext(); }
    @Override public X509TrustManager getTrustManager() { return c.getTrustManager(); }
    @Override public ExecutorService getExecutorService() { return executor; }
    @Override public long getMaxResponseBodySize() { return c.getMaxResponseBodySize(); }
    @Override public List<String> getEnabledProtocols() { return c.getEnabledProtocols(); }
  }
}
