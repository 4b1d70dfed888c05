package dev.llmotel.export;

import dev.llmotel.config.AgentLog;
import dev.llmotel.config.SafeUrls;
import dev.llmotel.export.destination.Destination;
import dev.llmotel.export.destination.DestinationPresets;
import dev.llmotel.export.destination.SpanView;
import dev.llmotel.export.destination.ViewingSpanExporter;
import dev.llmotel.export.sender.AgentComponentLoader;
import dev.llmotel.telemetry.PresetIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's OpenTelemetry SDK, configured the standard way ({@code OTEL_*} environment variables and {@code otel.*}
 * system properties through the SDK's autoconfigure module, plus a {@code .env} file in the working directory) with
 * the agent's defaults underneath: OTLP over http/protobuf, no log export, and a service name taken from the
 * application's jar or main class when none is set. Backend presets (OpenObserve, Langfuse, Opik) configured from
 * their own variables are added as further destinations, each with its own endpoint, headers, signals and view of the
 * spans. Never registered as any global: the application's {@code GlobalOpenTelemetry} is its own.
 */
public final class TelemetryPipeline {
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final OpenTelemetrySdk sdk;
  private final List<Destination> destinations;

  private TelemetryPipeline(OpenTelemetrySdk sdk, List<Destination> destinations) {
    this.sdk = sdk;
    this.destinations = destinations;
  }

  /**
   * Builds the SDK from the variables of {@code env} ({@link EnvironmentSource#load()}: the environment over the
   * {@code .env} file; tests pass their own); throws on configuration the SDK rejects (the caller logs one line).
   */
  public static TelemetryPipeline start(String agentVersion, EnvironmentSource env) {
    List<String> problems = new ArrayList<>();
    List<Destination> presets = DestinationPresets.fromEnvironment(env, problems);
    for (String problem : problems) AgentLog.warn(problem);
    Map<String, String> defaults = defaults(env, !presets.isEmpty());
    boolean metricsOff = "none".equals(setting(env, "OTEL_METRICS_EXPORTER"));

    ExportLogFilter.install();
    ComponentLoader components = components(env);
    AutoconfigureFailureLine quiet = AutoconfigureFailureLine.install();
    try {
      return build(agentVersion, presets, metricsOff, defaults, components);
    } finally {
      if (quiet != null) quiet.remove();
    }
  }

  private static TelemetryPipeline build(String agentVersion, List<Destination> presets, boolean metricsOff,
      Map<String, String> defaults, ComponentLoader components) {
    AutoConfiguredOpenTelemetrySdk auto = AutoConfiguredOpenTelemetrySdk.builder()
        .setComponentLoader(components)
        .addPropertiesSupplier(() -> defaults)
        .addPropertiesCustomizer(TelemetryPipeline::withoutGrpc)
        .addPropertiesCustomizer(TelemetryPipeline::ownInstanceIdWhereTheSdksIsEnabled)
        .addMetricExporterCustomizer((exporter, cfg) -> new ScopeFilteringMetricExporter(exporter))
        .addSpanExporterCustomizer(TelemetryPipeline::warnOnRefusal)
        .addResourceCustomizer((resource, cfg) -> customize(resource, agentVersion))
        .addTracerProviderCustomizer((builder, cfg) -> {
          builder.setIdGenerator(PresetIds.GENERATOR); // LLM spans are built after the call, with the ids it sent
          for (Destination d : presets) {
            try {
              builder.addSpanProcessor(batchProcessor(d, cfg, components));
            } catch (RuntimeException e) { // one destination's problem must not stop the others' export
              AgentLog.warn(d.name() + ": not sending spans there: " + SafeUrls.redact(String.valueOf(e.getMessage())));
            }
          }
          return builder;
        })
        .addMeterProviderCustomizer((builder, cfg) -> {
          if (!metricsOff) {
            for (Destination d : presets) {
              if (d.metricsEndpoint() == null) continue;
              try {
                builder.registerMetricReader(metricReader(d, cfg, components));
              } catch (RuntimeException e) {
                AgentLog.warn(d.name() + ": not sending metrics there: "
                    + SafeUrls.redact(String.valueOf(e.getMessage())));
              }
            }
          }
          return builder;
        })
        .disableShutdownHook()
        .build();
    return new TelemetryPipeline(auto.getOpenTelemetrySdk(), Collections.unmodifiableList(presets));
  }

  /**
   * What applies unless a system property says otherwise: http/protobuf, no logs, the OTEL_* variables of the
   * source (for the real environment the SDK reads them itself; this adds the {@code .env} file's), and, when
   * backend presets are configured but no plain OTLP endpoint is, no export to the default localhost:4318.
   */
  static Map<String, String> defaults(EnvironmentSource env, boolean presetsConfigured) {
    Map<String, String> d = new HashMap<>();
    d.put("otel.exporter.otlp.protocol", "http/protobuf");
    d.put("otel.logs.exporter", "none");
    if (presetsConfigured && !plainOtlpConfigured(env)) {
      d.put("otel.traces.exporter", "none");
      d.put("otel.metrics.exporter", "none");
    }
    for (Map.Entry<String, String> e : env.all().entrySet()) {
      if (e.getKey().startsWith("OTEL_")) d.put(e.getKey().toLowerCase(Locale.ROOT).replace('_', '.'), e.getValue());
    }
    return d;
  }

  /**
   * The SDK's service lookups with the agent's own HTTP sender ({@code HttpURLConnection}, or {@code java.net.http}
   * with {@code otel.instrumentation.llm.export.sender=jdk} on Java 11+).
   */
  static ComponentLoader components(EnvironmentSource env) {
    return new AgentComponentLoader(TelemetryPipeline.class.getClassLoader(),
        setting(env, "OTEL_INSTRUMENTATION_LLM_EXPORT_SENDER"));
  }

  static final String ENABLED_RESOURCE_PROVIDERS = "otel.java.enabled.resource.providers";

  /**
   * A list of resource providers to enable that names the SDK's instance-id provider (not in the agent's jar) names the
   * agent's {@link InstanceIdResourceProvider} too, so the id is there as it would be without the agent.
   */
  static Map<String, String> ownInstanceIdWhereTheSdksIsEnabled(ConfigProperties cfg) {
    List<String> enabled = cfg.getList(ENABLED_RESOURCE_PROVIDERS);
    String own = InstanceIdResourceProvider.class.getName();
    if (!enabled.contains(InstanceIdResourceProvider.SDK_PROVIDER) || enabled.contains(own)) {
      return Collections.emptyMap();
    }
    return Collections.singletonMap(ENABLED_RESOURCE_PROVIDERS, String.join(",", enabled) + "," + own);
  }

  /** The protocol settings that may name grpc (the general one and one per signal). */
  static final String[] PROTOCOL_KEYS = {"otel.exporter.otlp.protocol", "otel.exporter.otlp.traces.protocol",
      "otel.exporter.otlp.metrics.protocol", "otel.exporter.otlp.logs.protocol"};

  /**
   * OTLP over gRPC needs an HTTP/2 client with trailers, which the agent does not bundle (the JDK's client has
   * neither h2c with prior knowledge nor trailers): a {@code grpc} protocol becomes http/protobuf, with one warning.
   */
  static Map<String, String> withoutGrpc(ConfigProperties cfg) {
    Map<String, String> overrides = new HashMap<>();
    for (String key : PROTOCOL_KEYS) {
      if ("grpc".equalsIgnoreCase(cfg.getString(key, ""))) overrides.put(key, "http/protobuf");
    }
    if (!overrides.isEmpty()) {
      String endpoint = cfg.getString("otel.exporter.otlp.endpoint", "");
      AgentLog.warn("OTLP over gRPC is not supported by llm-otel-agent (it bundles no gRPC client): exporting with "
          + "http/protobuf instead" + (endpoint.contains(":4317")
              ? "; " + SafeUrls.redact(endpoint) + " looks like a gRPC port: point OTEL_EXPORTER_OTLP_ENDPOINT at the "
                  + "OTLP/HTTP one (usually 4318)"
              : ""));
    }
    return overrides;
  }

  static boolean plainOtlpConfigured(EnvironmentSource env) {
    for (String name : new String[] {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_TRACES_EXPORTER"}) {
      if (setting(env, name) != null) return true;
    }
    return false;
  }

  /** A setting the user made: the {@code otel.*} system property, else the variable (environment, then .env). */
  static String setting(EnvironmentSource env, String variable) {
    String p = System.getProperty(variable.toLowerCase(Locale.ROOT).replace('_', '.'));
    return p != null ? p : env.get(variable);
  }

  /**
   * The plain OTLP exporter's 401/403 gets the same one warning as a preset's (its per-batch lines are dropped, see
   * ExportLogFilter): the destination named {@code otlp}, the hint to set {@code OTEL_EXPORTER_OTLP_HEADERS}.
   */
  static SpanExporter warnOnRefusal(SpanExporter exporter, ConfigProperties cfg) {
    if (!exporter.getClass().getName().startsWith("io.opentelemetry.exporter.otlp.")) return exporter;
    String endpoint = cfg.getString("otel.exporter.otlp.traces.endpoint");
    if (endpoint == null) {
      String base = cfg.getString("otel.exporter.otlp.endpoint", "http://localhost:4318");
      endpoint = (base.endsWith("/") ? base : base + "/") + "v1/traces";
    }
    return new ViewingSpanExporter(new Destination("otlp", endpoint, null, Collections.<String, String>emptyMap(),
        SpanView.IDENTITY), exporter);
  }

  private static BatchSpanProcessor batchProcessor(Destination d, ConfigProperties cfg, ComponentLoader components) {
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setComponentLoader(components)
        .setEndpoint(d.tracesEndpoint());
    for (Map.Entry<String, String> h : d.headers().entrySet()) exporter.addHeader(h.getKey(), h.getValue());
    return BatchSpanProcessor.builder(new ViewingSpanExporter(d, exporter.build()))
        .setScheduleDelay(cfg.getDuration("otel.bsp.schedule.delay", Duration.ofSeconds(5)))
        .setMaxQueueSize(cfg.getInt("otel.bsp.max.queue.size", 2048))
        .setMaxExportBatchSize(cfg.getInt("otel.bsp.max.export.batch.size", 512))
        .build();
  }

  private static PeriodicMetricReader metricReader(Destination d, ConfigProperties cfg, ComponentLoader components) {
    OtlpHttpMetricExporterBuilder exporter = OtlpHttpMetricExporter.builder().setComponentLoader(components)
        .setEndpoint(d.metricsEndpoint());
    for (Map.Entry<String, String> h : d.headers().entrySet()) exporter.addHeader(h.getKey(), h.getValue());
    return PeriodicMetricReader.builder(new ScopeFilteringMetricExporter(exporter.build()))
        .setInterval(cfg.getDuration("otel.metric.export.interval", Duration.ofSeconds(60)))
        .build();
  }

  private static Resource customize(Resource resource, String agentVersion) {
    ResourceBuilder b = resource.toBuilder()
        .put("telemetry.distro.name", "llm-otel-agent")
        .put("telemetry.distro.version", agentVersion);
    String name = resource.getAttribute(SERVICE_NAME);
    if (name == null || name.startsWith("unknown_service")) {
      String derived = ServiceNames.fromCommand(System.getProperty("sun.java.command"));
      if (derived != null) b.put(SERVICE_NAME, derived);
    }
    return b.build();
  }

  public OpenTelemetrySdk sdk() {
    return sdk;
  }

  /** The backend presets in use (besides the plain OTLP exporter, if any). */
  public List<Destination> presetDestinations() {
    return destinations;
  }

  /**
   * Flushes and stops export, waiting at most the given time (a dead backend never holds up the JVM's exit); 0 or
   * less: starts it and does not wait.
   */
  public void shutdown(long timeoutMillis) {
    // The SDK's own shutdown blocks inside (a metric reader waits for its last export, an exporter retries a dead
    // endpoint with back-off), so it runs on a daemon thread and the JVM's exit waits for it no longer than allowed.
    Thread flush = new Thread(() -> sdk.shutdown().join(timeoutMillis, TimeUnit.MILLISECONDS),
        "llm-otel-agent-flush");
    flush.setDaemon(true);
    flush.start();
    if (timeoutMillis <= 0) return; // Thread.join(0) would wait for as long as the SDK's shutdown takes
    try {
      flush.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
