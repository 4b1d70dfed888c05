package dev.llmotel.export;

import dev.llmotel.config.SafeUrls;
import dev.llmotel.export.destination.Destination;
import dev.llmotel.export.destination.DestinationPresets;
import dev.llmotel.export.destination.Hints;
import dev.llmotel.export.destination.SpanView;
import dev.llmotel.export.destination.ViewingSpanExporter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar llm-otel-agent.jar check}: sends one test span to every configured destination and prints each
 * answer (status, latency, and a hint on failure) — a pre-deployment check, like the Langfuse SDK's auth check, for
 * every backend at once.
 */
public final class ExportCheck {
  /** Held here: JUL keeps loggers weakly, and a collected logger would forget its level. */
  private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.opentelemetry");

  private ExportCheck() {}

  /** @return the process exit code: 0 when every destination accepted the span */
  public static int run(EnvironmentSource env, PrintStream out) {
    // a command-line run, not an application: the exporter's own log lines would only repeat the report below
    QUIET.setLevel(java.util.logging.Level.OFF);
    List<String> problems = new ArrayList<>();
    List<Destination> destinations = new ArrayList<>(DestinationPresets.fromEnvironment(env, problems));
    Destination plain = plainOtlp(env, !destinations.isEmpty());
    if (plain != null) destinations.add(0, plain);
    for (String p : problems) out.println("config problem: " + p);
    if (destinations.isEmpty()) {
      out.println("no destination configured");
      return 2;
    }
    int failures = problems.isEmpty() ? 0 : 1;
    for (Destination d : destinations) {
      long start = System.nanoTime();
      Throwable failure;
      try {
        failure = sendTestSpan(d);
      } catch (RuntimeException e) { // an endpoint the exporter refuses: this destination fails, the others are checked
        failure = e;
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (failure == null) {
        out.printf(Locale.ROOT, "%-12s OK    %5d ms  %s%n", d.name(), millis, SafeUrls.redact(d.tracesEndpoint()));
      } else {
        failures++;
        out.printf(Locale.ROOT, "%-12s FAIL  %5d ms  %s%n             %s%n", d.name(), millis,
            SafeUrls.redact(d.tracesEndpoint()),
            describe(d.name(), failure));
      }
    }
    return failures == 0 ? 0 : 1;
  }

  /** The plain OTLP destination, when configured (or the default localhost one when nothing else is). */
  static Destination plainOtlp(EnvironmentSource env, boolean presetsConfigured) {
    String traces = TelemetryPipeline.setting(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    String base = TelemetryPipeline.setting(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
    if (traces == null && base == null && presetsConfigured) return null;
    String endpoint = traces != null ? traces
        : (base == null ? "http://localhost:4318" : base.replaceAll("/+$", "")) + "/v1/traces";
    Map<String, String> headers = new LinkedHashMap<>();
    String raw = TelemetryPipeline.setting(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS");
    if (raw == null) raw = TelemetryPipeline.setting(env, "OTEL_EXPORTER_OTLP_HEADERS");
    if (raw != null) {
      for (String pair : raw.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) headers.put(pair.substring(0, eq).trim(), decode(pair.substring(eq + 1).trim()));
      }
    }
    return new Destination("otlp", endpoint, null, headers, SpanView.IDENTITY);
  }

  private static String decode(String v) {
    try {
      return URLDecoder.decode(v, "UTF-8");
    } catch (Exception e) {
      return v;
    }
  }

  /** Exports one span synchronously; null on success, else the failure. */
  static Throwable sendTestSpan(Destination d) {
    // one attempt, no retries: the check reports what the backend answers now
    OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
        .setComponentLoader(TelemetryPipeline.components(EnvironmentSource.load())).setEndpoint(d.tracesEndpoint())
        .setTimeout(10, TimeUnit.SECONDS).setRetryPolicy(null);
    for (Map.Entry<String, String> h : d.headers().entrySet()) builder.addHeader(h.getKey(), h.getValue());
    ResultCapture capture = new ResultCapture(new ViewingSpanExporter(d, builder.build()));
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().toBuilder().put("service.name", "llm-otel-agent-check").build())
        .addSpanProcessor(SimpleSpanProcessor.create(capture))
        .build();
    try {
      Span span = provider.get("llm-otel-agent").spanBuilder("chat llm-otel-agent-check")
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute("gen_ai.operation.name", "chat")
          .setAttribute("gen_ai.provider.name", "llm-otel-agent")
          .setAttribute("gen_ai.request.model", "llm-otel-agent-check")
          .setAttribute("gen_ai.usage.input_tokens", 1L)
          .setAttribute("gen_ai.usage.output_tokens", 1L)
          .startSpan();
      span.end();
      provider.forceFlush().join(15, TimeUnit.SECONDS);
      CompletableResultCode result = capture.last;
      if (result == null) return new IllegalStateException("no export happened");
      result.join(15, TimeUnit.SECONDS);
      if (result.isSuccess()) return null;
      Throwable t = result.getFailureThrowable();
      return t == null ? new IllegalStateException("export failed or timed out") : t;
    } finally {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  static String describe(String destination, Throwable failure) {
    int status = ViewingSpanExporter.statusOf(failure);
    if (status > 0) return "HTTP " + status + ": " + Hints.forStatus(destination, status);
    Throwable root = ExportLogFilter.rootCause(failure);
    if (root instanceof ConnectException) return "connection refused: nothing is listening there";
    if (root instanceof UnknownHostException) return "unknown host " + root.getMessage();
    return root.getClass().getSimpleName() + ": " + SafeUrls.redact(root.getMessage());
  }

  private static final class ResultCapture implements SpanExporter {
    private final SpanExporter delegate;
    volatile CompletableResultCode last;

    ResultCapture(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode r = delegate.export(spans);
      last = r;
      return r;
    }

    @Override public CompletableResultCode flush() { return delegate.flush(); }
    @Override public CompletableResultCode shutdown() { return delegate.shutdown(); }
  }
}
