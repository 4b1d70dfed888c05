package dev.llmotel.it.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A local OTLP/HTTP receiver (protobuf; gzip when {@code Content-Encoding: gzip}) for {@code /v1/traces},
 * {@code /v1/metrics} and {@code /v1/logs}. It answers 200 with an empty export response and keeps every decoded
 * span and metric with its resource and scope; requests it cannot decode are counted as {@link #problems()}. Started
 * with a {@link ReceiverBehaviour} it behaves like a backend instead: its paths under a prefix, 401 without the
 * expected credentials, metrics kept, discarded or answered 501. Every request is recorded with its headers.
 */
public final class OtlpReceiver implements AutoCloseable {
  /** How long the wait helpers poll at most. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(15);

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger traceRequests = new AtomicInteger();
  private final AtomicInteger metricRequests = new AtomicInteger();
  private final AtomicInteger metricExports = new AtomicInteger();
  private final List<ReceivedMetric> metrics = new CopyOnWriteArrayList<>();
  private final List<ReceivedRequest> requests = new CopyOnWriteArrayList<>();
  private final ReceiverBehaviour behaviour;

  private OtlpReceiver(HttpServer server, ExecutorService executor, ReceiverBehaviour behaviour) {
    this.server = server;
    this.executor = executor;
    this.behaviour = behaviour;
  }

  /** Starts a plain OTLP receiver (no credentials, {@code /v1/*}) on 127.0.0.1 and a free port. */
  public static OtlpReceiver start() throws IOException {
    return start(ReceiverBehaviour.plainOtlp());
  }

  /** Starts a receiver behaving like a given backend (paths, credentials, metrics answer) on a free port. */
  public static OtlpReceiver start(ReceiverBehaviour behaviour) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "otlp-receiver");
      t.setDaemon(true);
      return t;
    });
    OtlpReceiver receiver = new OtlpReceiver(server, executor, behaviour);
    server.createContext("/", receiver::handle);
    server.setExecutor(executor);
    server.start();
    return receiver;
  }

  /** The base endpoint for {@code OTEL_EXPORTER_OTLP_ENDPOINT}: {@code http://127.0.0.1:<port>}. */
  public String endpoint() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

  public List<ReceivedSpan> spans() { return List.copyOf(spans); }

  public List<ReceivedSpan> spans(Predicate<ReceivedSpan> filter) { return spans.stream().filter(filter).toList(); }

  public List<ReceivedSpan> spansNamed(String name) { return spans(s -> s.name().equals(name)); }

  /** Polls until at least {@code count} spans match (or {@code timeout} passes); returns the matches found. */
  public List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> filter, int count, Duration timeout) {
    return await(() -> spans(filter), count, timeout);
  }

  public List<ReceivedSpan> awaitSpans(int count) { return awaitSpans(s -> true, count, DEFAULT_WAIT); }

  /** Requests to the traces path, whatever they were answered. */
  public int traceRequests() { return traceRequests.get(); }

  /** Requests to the metrics path, whatever they were answered. */
  public int metricRequests() { return metricRequests.get(); }

  /** Every request received, in arrival order, with the status it was answered. */
  public List<ReceivedRequest> requests() { return List.copyOf(requests); }

  public ReceiverBehaviour behaviour() { return behaviour; }

  /** Every metric of every kept metrics export, in arrival order (one entry per metric per export). */
  public List<ReceivedMetric> metrics() { return List.copyOf(metrics); }

  public List<ReceivedMetric> metricsNamed(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).toList();
  }

  /** Names of all metrics received. */
  public Set<String> metricNames() {
    return metrics.stream().map(ReceivedMetric::name).collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The current state of a histogram, one point per attribute set (series), merging every export received: the
   * latest report of each series for cumulative temporality, the sum of all reports for delta.
   */
  public List<HistogramPoint> histogramSeries(String name) {
    Map<Map<String, Object>, HistogramPoint> series = new LinkedHashMap<>();
    for (ReceivedMetric m : metricsNamed(name)) {
      for (HistogramPoint p : m.histogramPoints()) series.merge(p.attributes(), p, HistogramPoint::then);
    }
    return List.copyOf(series.values());
  }

  /** Polls until at least {@code count} metric reports match (or {@code timeout} passes); returns the matches. */
  public List<ReceivedMetric> awaitMetrics(Predicate<ReceivedMetric> filter, int count, Duration timeout) {
    return await(() -> metrics.stream().filter(filter).toList(), count, timeout);
  }

  /** Re-reads {@code matches} every 50 ms until it has {@code count} items or {@code timeout} passes. */
  private static <T> List<T> await(Supplier<List<T>> matches, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<T> found = matches.get();
    while (found.size() < count && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      found = matches.get();
    }
    return found;
  }

  /** Requests that could not be decoded, or came to unknown paths. */
  public List<String> problems() { return List.copyOf(problems); }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      byte[] body = readBody(exchange);
      SecretScan.exported(behaviour.name(), path, body);
      String signal = path.startsWith(behaviour.pathPrefix()) ? path.substring(behaviour.pathPrefix().length()) : "";
      if (signal.equals("/v1/traces")) traceRequests.incrementAndGet();
      if (signal.equals("/v1/metrics")) metricRequests.incrementAndGet();
      if (!signal.equals("/v1/traces") && !signal.equals("/v1/metrics") && !signal.equals("/v1/logs")) {
        problems.add("unexpected path " + path);
        answer(exchange, path, 404, new byte[0]);
        return;
      }
      for (Map.Entry<String, String> required : behaviour.requiredHeaders().entrySet()) {
        if (!required.getValue().equals(exchange.getRequestHeaders().getFirst(required.getKey()))) {
          answer(exchange, path, 401, "{\"message\":\"Invalid credentials\"}".getBytes(StandardCharsets.UTF_8));
          return;
        }
      }
      byte[] response;
      switch (signal) {
        case "/v1/traces" -> {
          keep(ExportTraceServiceRequest.parseFrom(body));
          response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        }
        case "/v1/metrics" -> {
          if (behaviour.metrics() == ReceiverBehaviour.MetricsAnswer.NOT_IMPLEMENTED) {
            answer(exchange, path, 501, new byte[0]);
            return;
          }
          ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body);
          if (behaviour.metrics() == ReceiverBehaviour.MetricsAnswer.KEEP) keep(request);
          response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
        }
        default -> response = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      answer(exchange, path, 200, response);
    } catch (IOException | RuntimeException e) {
      problems.add("undecodable request: " + e);
      try {
        exchange.sendResponseHeaders(400, -1);
      } catch (IOException | RuntimeException ignored) {
        // response already started
      }
    }
  }

  /** Records the request with the status it gets, then sends that status and body. */
  private void answer(HttpExchange exchange, String path, int status, byte[] body) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
    requests.add(new ReceivedRequest(exchange.getRequestMethod(), path, headers, status));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private void keep(ExportMetricsServiceRequest request) {
    int number = metricExports.incrementAndGet();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric metric : sm.getMetricsList()) {
          metrics.add(new ReceivedMetric(rm.getResource(), sm.getScope(), metric, number));
        }
      }
    }
  }

  private void keep(ExportTraceServiceRequest request) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) spans.add(new ReceivedSpan(rs.getResource(), ss.getScope(), span));
      }
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding == null || !encoding.trim().equalsIgnoreCase("gzip")) return raw;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return in.readAllBytes();
    }
  }
}
