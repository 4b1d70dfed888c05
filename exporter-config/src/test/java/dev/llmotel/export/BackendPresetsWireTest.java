package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact requests the agent's pipeline sends to each backend preset, against local receivers that behave like
 * OpenObserve, Langfuse and Opik (paths, auth checks, their answers to signals they do not take).
 */
class BackendPresetsWireTest {
  static final String LANGFUSE_AUTH = "Basic " + Base64.getEncoder().encodeToString(
      "pk-lf-1:sk-lf-1".getBytes(StandardCharsets.UTF_8));

  private BackendReceiver openObserve;
  private BackendReceiver langfuse;
  private BackendReceiver opik;
  private BackendReceiver plainOtlp;

  @BeforeEach
  void setUp() throws Exception {
    openObserve = new BackendReceiver(r -> {
      if (!"Basic b286dG9rZW4=".equals(r.header("Authorization"))) return 401;
      return r.path.equals("/api/acme/v1/traces") || r.path.equals("/api/acme/v1/metrics") ? 200 : 404;
    });
    langfuse = new BackendReceiver(r -> {
      if (!LANGFUSE_AUTH.equals(r.header("Authorization"))) return 401;
      if (r.path.equals("/api/public/otel/v1/metrics")) return 200; // accepted and discarded
      return r.path.equals("/api/public/otel/v1/traces") ? 200 : 404;
    });
    opik = new BackendReceiver(r -> {
      if (r.path.endsWith("/v1/metrics")) return 501;
      if (!"opik-key".equals(r.header("Authorization"))) return 401;
      return r.path.equals("/api/v1/private/otel/v1/traces") ? 200 : 405;
    });
    plainOtlp = new BackendReceiver(r -> 200);
  }

  @AfterEach
  void tearDown() {
    openObserve.close();
    langfuse.close();
    opik.close();
    plainOtlp.close();
  }

  private Map<String, String> presets() {
    Map<String, String> env = new HashMap<>();
    env.put("OPENOBSERVE_URL", openObserve.url() + "/");
    env.put("OPENOBSERVE_ORG", "acme");
    env.put("OPENOBSERVE_AUTH_TOKEN", "Basic b286dG9rZW4=");
    env.put("OPENOBSERVE_STREAM_NAME", "llm");
    env.put("LANGFUSE_PUBLIC_KEY", "pk-lf-1");
    env.put("LANGFUSE_SECRET_KEY", "sk-lf-1");
    env.put("LANGFUSE_HOST", langfuse.url());
    env.put("OPIK_URL_OVERRIDE", opik.url() + "/api");
    env.put("OPIK_API_KEY", "opik-key");
    env.put("OPIK_WORKSPACE", "team-a");
    env.put("OPIK_PROJECT_NAME", "chatbot");
    env.put("OTEL_BSP_SCHEDULE_DELAY", "20");
    env.put("OTEL_METRIC_EXPORT_INTERVAL", "100");
    return env;
  }

  private static void emitOneLlmSpanAndMetric(TelemetryPipeline pipeline) {
    Span span = pipeline.sdk().getTracer("test").spanBuilder("chat gpt-4o-mini").setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.request.model", "gpt-4o-mini")
        .setAttribute("gen_ai.provider.name", "openai")
        .setAttribute(AttributeKey.longKey("gen_ai.usage.input_tokens"), 11L)
        .setAttribute(AttributeKey.longKey("gen_ai.usage.output_tokens"), 7L)
        .setAttribute(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk"), 0.25)
        .setAttribute(AttributeKey.longKey("http.response.status_code"), 200L)
        .setAttribute("llmotel.stream.outcome", "completed")
        .startSpan();
    span.end();
    pipeline.sdk().getMeter("llm-otel-agent").counterBuilder("llm.test.calls").build().add(1);
    pipeline.sdk().getMeter("io.opentelemetry.sdk.trace").counterBuilder("processedSpans").build().add(1);
  }

  private static Map<String, KeyValue> attributes(io.opentelemetry.proto.trace.v1.Span span) {
    return span.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv));
  }

  @Test
  void everyConfiguredBackendGetsTheSpanOnItsOwnTermsAndMetricsOnlyWhereAccepted() throws Exception {
    TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(presets(), Map.of()));
    assertEquals(List.of("openobserve", "langfuse", "opik"),
        pipeline.presetDestinations().stream().map(d -> d.name()).collect(Collectors.toList()));
    emitOneLlmSpanAndMetric(pipeline);
    Thread.sleep(400); // one metric interval at least
    pipeline.shutdown(5000);

    BackendReceiver.Received oo = openObserve.at("/api/acme/v1/traces").get(0);
    assertEquals(200, oo.status);
    assertEquals("application/x-protobuf", oo.header("Content-Type"));
    assertEquals("llm", oo.header("stream-name"));
    Map<String, KeyValue> ooAttrs = attributes(oo.spans().get(0));
    assertEquals(11, ooAttrs.get("gen_ai.usage.input_tokens").getValue().getIntValue());
    assertTrue(ooAttrs.containsKey("http.response.status_code"), "OpenObserve gets the standard attributes as is");
    assertFalse(openObserve.at("/api/acme/v1/metrics").isEmpty(), "OpenObserve accepts metrics");
    for (BackendReceiver.Received m : openObserve.at("/api/acme/v1/metrics")) {
      for (io.opentelemetry.proto.metrics.v1.ResourceMetrics rm :
          io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.parseFrom(m.body)
              .getResourceMetricsList()) {
        for (io.opentelemetry.proto.metrics.v1.ScopeMetrics sm : rm.getScopeMetricsList()) {
          assertEquals("llm-otel-agent", sm.getScope().getName(), "only the agent's own metrics leave");
        }
      }
    }

    BackendReceiver.Received lf = langfuse.at("/api/public/otel/v1/traces").get(0);
    assertEquals(200, lf.status);
    Map<String, KeyValue> lfAttrs = attributes(lf.spans().get(0));
    String completionStart = lfAttrs.get("langfuse.observation.completion_start_time").getValue().getStringValue();
    long start = lf.spans().get(0).getStartTimeUnixNano();
    assertEquals(java.time.Instant.ofEpochSecond(0, start + 250_000_000L).toString(), completionStart);
    assertTrue(langfuse.requests.stream().noneMatch(r -> r.path.contains("metrics")), "no metrics to Langfuse");

    BackendReceiver.Received op = opik.at("/api/v1/private/otel/v1/traces").get(0);
    assertEquals(200, op.status);
    assertEquals("team-a", op.header("Comet-Workspace"));
    assertEquals("chatbot", op.header("projectName"));
    Map<String, KeyValue> opAttrs = attributes(op.spans().get(0));
    assertFalse(opAttrs.containsKey("http.response.status_code"), "would land in Opik's input");
    String metadata = opAttrs.get("opik.metadata").getValue().getStringValue();
    assertTrue(metadata.contains("\"http.response.status_code\":200"), metadata);
    assertTrue(metadata.contains("\"llmotel.stream.outcome\":\"completed\""), metadata);
    assertTrue(metadata.contains("\"time_to_first_chunk\":0.25"), metadata);
    assertEquals("openai", opAttrs.get("gen_ai.system").getValue().getStringValue(), "the provider Opik prices by");
    assertEquals(11, opAttrs.get("gen_ai.usage.input_tokens").getValue().getIntValue(), "integer usage for Opik");
    assertTrue(opik.requests.stream().noneMatch(r -> r.path.contains("metrics")), "no metrics to Opik (501)");
  }

  @Test
  void plainOtlpCombinesWithPresets() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("LANGFUSE_PUBLIC_KEY", "pk-lf-1");
    env.put("LANGFUSE_SECRET_KEY", "sk-lf-1");
    env.put("LANGFUSE_HOST", langfuse.url());
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", plainOtlp.url());
    env.put("OTEL_BSP_SCHEDULE_DELAY", "20");
    env.put("OTEL_METRICS_EXPORTER", "none");
    TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env));
    emitOneLlmSpanAndMetric(pipeline);
    pipeline.shutdown(5000);
    assertEquals(1, plainOtlp.at("/v1/traces").size());
    assertEquals(1, langfuse.at("/api/public/otel/v1/traces").size());
    assertFalse(attributes(plainOtlp.at("/v1/traces").get(0).spans().get(0))
        .containsKey("langfuse.observation.completion_start_time"), "views stay per destination");
  }

  @Test
  void aRejectedKeyGivesOneClearWarningNotOnePerBatch() throws Exception {
    Map<String, String> env = presets();
    env.keySet().removeIf(k -> k.startsWith("OPENOBSERVE") || k.startsWith("OPIK"));
    env.put("LANGFUSE_SECRET_KEY", "sk-wrong");
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    try {
      TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(env, Map.of()));
      for (int i = 0; i < 3; i++) {
        emitOneLlmSpanAndMetric(pipeline);
        pipeline.sdk().getSdkTracerProvider().forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (langfuse.requests.size() <= i && System.nanoTime() < deadline) Thread.sleep(10);
      }
      pipeline.shutdown(5000);
    } finally {
      System.setErr(original);
    }
    assertTrue(langfuse.requests.size() >= 3, langfuse.requests.stream().map(r -> r.path + " " + r.status + " " + r.header("Authorization")).collect(Collectors.toList()) + " requests");
    String log = err.toString(StandardCharsets.UTF_8);
    long warnings = log.lines().filter(l -> l.startsWith("[llm-otel-agent] WARN langfuse rejected")).count();
    assertEquals(1, warnings, log);
    assertTrue(log.contains("HTTP 401") && log.contains("LANGFUSE_HOST"), log);
  }

  @Test
  void theCheckCommandReportsEachDestination() throws Exception {
    Map<String, String> env = presets();
    env.put("OPIK_API_KEY", "wrong");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = ExportCheck.run(new EnvironmentSource(env, Map.of()), new PrintStream(out, true));
    String report = out.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, report);
    assertTrue(report.lines().anyMatch(l -> l.startsWith("openobserve") && l.contains(" OK ")), report);
    assertTrue(report.lines().anyMatch(l -> l.startsWith("langfuse") && l.contains(" OK ")), report);
    assertTrue(report.lines().anyMatch(l -> l.startsWith("opik") && l.contains("FAIL")), report);
    assertTrue(report.contains("HTTP 401: wrong OPIK_API_KEY"), report);
  }

  /**
   * One preset whose variables make no valid URL (a space in the organisation) costs that preset alone: the SDK
   * starts, the other presets and the plain OTLP exporter receive the span, and one line names the variables.
   */
  @Test
  void aPresetWithAnInvalidUrlLeavesTheOthersExporting() throws Exception {
    Map<String, String> env = presets();
    env.put("OPENOBSERVE_ORG", "ac me");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", plainOtlp.url());
    env.put("OTEL_METRICS_EXPORTER", "none");
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    TelemetryPipeline pipeline;
    try {
      pipeline = TelemetryPipeline.start("test", new EnvironmentSource(env, Map.of()));
      emitOneLlmSpanAndMetric(pipeline);
      pipeline.shutdown(5000);
    } finally {
      System.setErr(original);
    }
    String log = err.toString(StandardCharsets.UTF_8);
    assertEquals(List.of("langfuse", "opik"),
        pipeline.presetDestinations().stream().map(d -> d.name()).collect(Collectors.toList()));
    assertEquals(1, plainOtlp.at("/v1/traces").size(), log);
    assertEquals(1, langfuse.at("/api/public/otel/v1/traces").size(), log);
    assertEquals(1, opik.at("/api/v1/private/otel/v1/traces").size(), log);
    assertTrue(openObserve.requests.isEmpty());
    assertEquals(1, log.lines().filter(l -> l.contains("OPENOBSERVE_URL / OPENOBSERVE_ORG make")).count(), log);
  }

  /** The check command reports an endpoint the exporter refuses as that destination's failure and checks the rest. */
  @Test
  void theCheckCommandReportsAMalformedEndpointAndGoesOn() throws Exception {
    Map<String, String> env = presets();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = ExportCheck.run(new EnvironmentSource(env, Map.of()), new PrintStream(out, true));
    String report = out.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, report);
    assertTrue(report.lines().anyMatch(l -> l.startsWith("otlp") && l.contains("FAIL")), report);
    assertTrue(report.lines().anyMatch(l -> l.startsWith("openobserve") && l.contains(" OK ")), report);
    assertTrue(report.lines().anyMatch(l -> l.startsWith("opik") && l.contains(" OK ")), report);
  }
}
