package dev.llmotel.it.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A local OTLP/HTTP receiver (protobuf; gzip when {@code Content-Encoding: gzip}) for {@code /v1/traces},
 * {@code /v1/metrics} and {@code /v1/logs}. It answers 200 with an empty export response and keeps every decoded
 * span with its resource and scope; requests it cannot decode are counted as {@link #problems()}.
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

  private OtlpReceiver(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a receiver on 127.0.0.1 and a free port. */
  public static OtlpReceiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "otlp-receiver");
      t.setDaemon(true);
      return t;
    });
    OtlpReceiver receiver = new OtlpReceiver(server, executor);
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
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ReceivedSpan> found = spans(filter);
    while (found.size() < count && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      found = spans(filter);
    }
    return found;
  }

  public List<ReceivedSpan> awaitSpans(int count) { return awaitSpans(s -> true, count, DEFAULT_WAIT); }

  public int traceRequests() { return traceRequests.get(); }

  public int metricRequests() { return metricRequests.get(); }

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
      byte[] response;
      switch (path) {
        case "/v1/traces" -> {
          traceRequests.incrementAndGet();
          keep(ExportTraceServiceRequest.parseFrom(body));
          response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        }
        case "/v1/metrics" -> {
          metricRequests.incrementAndGet();
          ExportMetricsServiceRequest.parseFrom(body);
          response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
        }
        case "/v1/logs" -> response = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
        default -> {
          problems.add("unexpected path " + path);
          exchange.sendResponseHeaders(404, -1);
          return;
        }
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response);
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add("undecodable request: " + e);
      try {
        exchange.sendResponseHeaders(400, -1);
      } catch (IOException | RuntimeException ignored) {
        // response already started
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
