package dev.llmotel.it.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Receivers standing in for Langfuse, Opik and OpenObserve answer as those backends do. */
class ReceiverBehaviourTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final byte[] ONE_SPAN = ExportTraceServiceRequest.newBuilder()
      .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
          .addSpans(Span.newBuilder().setName("chat m")))).build().toByteArray();
  private static final byte[] ONE_METRIC = ExportMetricsServiceRequest.newBuilder()
      .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
          .addMetrics(Metric.newBuilder().setName("m")))).build().toByteArray();

  private static int post(OtlpReceiver receiver, String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(receiver.endpoint() + path))
        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void langfuseWantsBasicAuthUnderItsPathAndDiscardsMetrics() throws Exception {
    try (OtlpReceiver langfuse = OtlpReceiver.start(ReceiverBehaviour.langfuse("pk-lf-1", "sk-lf-1"))) {
      String auth = ReceiverBehaviour.basic("pk-lf-1", "sk-lf-1");
      assertEquals(401, post(langfuse, "/api/public/otel/v1/traces", ONE_SPAN));
      assertEquals(401, post(langfuse, "/api/public/otel/v1/traces", ONE_SPAN, "Authorization",
          ReceiverBehaviour.basic("pk-lf-1", "wrong")));
      assertEquals(404, post(langfuse, "/v1/traces", ONE_SPAN, "Authorization", auth));
      assertEquals(200, post(langfuse, "/api/public/otel/v1/traces", ONE_SPAN, "Authorization", auth));
      assertEquals(200, post(langfuse, "/api/public/otel/v1/metrics", ONE_METRIC, "Authorization", auth));
      assertEquals(1, langfuse.spans().size());
      assertEquals(List.of(), langfuse.metrics());
      assertEquals(3, langfuse.traceRequests());
      assertEquals(1, langfuse.metricRequests());
      assertEquals(List.of(401, 401, 404, 200, 200), langfuse.requests().stream().map(ReceivedRequest::status).toList());
      assertEquals(auth, langfuse.requests().get(3).header("authorization"));
      assertEquals(List.of("unexpected path /v1/traces"), langfuse.problems());
    }
  }

  @Test
  void opikWantsKeyAndWorkspaceAndAnswers501ToMetrics() throws Exception {
    try (OtlpReceiver opik = OtlpReceiver.start(ReceiverBehaviour.opik("/api", "opik-key", "ws"))) {
      assertEquals(401, post(opik, "/api/v1/private/otel/v1/traces", ONE_SPAN, "Authorization", "opik-key"));
      assertEquals(200, post(opik, "/api/v1/private/otel/v1/traces", ONE_SPAN, "Authorization", "opik-key",
          "Comet-Workspace", "ws", "projectName", "p"));
      assertEquals(501, post(opik, "/api/v1/private/otel/v1/metrics", ONE_METRIC, "Authorization", "opik-key",
          "Comet-Workspace", "ws"));
      assertEquals(1, opik.spans().size());
      assertEquals("p", opik.requests().get(1).header("ProjectName"));
      assertEquals(List.of(), opik.problems());
    }
  }

  @Test
  void openObserveKeepsMetricsUnderItsOrganisation() throws Exception {
    try (OtlpReceiver oo = OtlpReceiver.start(ReceiverBehaviour.openObserve("org1", "Basic abc"))) {
      assertEquals(200, post(oo, "/api/org1/v1/metrics", ONE_METRIC, "Authorization", "Basic abc"));
      assertEquals(200, post(oo, "/api/org1/v1/traces", ONE_SPAN, "Authorization", "Basic abc"));
      assertEquals(404, post(oo, "/api/org2/v1/traces", ONE_SPAN, "Authorization", "Basic abc"));
      assertEquals(List.of("m"), oo.metrics().stream().map(ReceivedMetric::name).toList());
      assertEquals(1, oo.spans().size());
    }
  }
}
