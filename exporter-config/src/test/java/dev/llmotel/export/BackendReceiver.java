package dev.llmotel.export;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local HTTP server that behaves like one backend's OTLP intake: its paths, its auth check, its answers for signals
 * it does not take. Records every request it gets.
 */
final class BackendReceiver implements AutoCloseable {
  static final class Received {
    final String method;
    final String path;
    final Map<String, List<String>> headers;
    final byte[] body;
    final int status;

    Received(String method, String path, Map<String, List<String>> headers, byte[] body, int status) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
      this.status = status;
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
      }
      return null;
    }

    List<io.opentelemetry.proto.trace.v1.Span> spans() throws IOException {
      List<io.opentelemetry.proto.trace.v1.Span> out = new ArrayList<>();
      for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) out.addAll(ss.getSpansList());
      }
      return out;
    }
  }

  final List<Received> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  /** @param decide maps (path, authorization header) to the status code to answer */
  BackendReceiver(Function<Received, Integer> decide) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Received probe = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders(), body, 0);
      int status = decide.apply(probe);
      requests.add(new Received(probe.method, probe.path, probe.headers, body, status));
      byte[] answer = status == 200 ? ExportTraceServiceResponse.getDefaultInstance().toByteArray()
          : ("{\"message\":\"status " + status + "\"}").getBytes();
      exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/x-protobuf" : "application/json");
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Received> at(String path) {
    List<Received> out = new ArrayList<>();
    for (Received r : requests) if (r.path.equals(path)) out.add(r);
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
