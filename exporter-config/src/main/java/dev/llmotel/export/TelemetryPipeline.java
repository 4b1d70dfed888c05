package dev.llmotel.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's OpenTelemetry SDK, configured the standard way ({@code OTEL_*} environment variables and {@code otel.*}
 * system properties through the SDK's autoconfigure module) with the agent's defaults underneath: OTLP over
 * http/protobuf (what Langfuse, Opik and OpenObserve all accept), no log export, and a service name taken from the
 * application's jar or main class when none is set. Never registered as any global: the application's
 * {@code GlobalOpenTelemetry} is its own.
 */
public final class TelemetryPipeline {
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final OpenTelemetrySdk sdk;
  private final ConfigProperties config;

  private TelemetryPipeline(OpenTelemetrySdk sdk, ConfigProperties config) {
    this.sdk = sdk;
    this.config = config;
  }

  /** Builds the SDK from the environment; throws on configuration the SDK rejects (the caller logs one line). */
  public static TelemetryPipeline start(String agentVersion) {
    ConfigProperties[] seen = new ConfigProperties[1];
    AutoConfiguredOpenTelemetrySdk auto = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(TelemetryPipeline::defaults)
        .addResourceCustomizer((resource, cfg) -> {
          seen[0] = cfg;
          return customize(resource, agentVersion);
        })
        .disableShutdownHook()
        .build();
    return new TelemetryPipeline(auto.getOpenTelemetrySdk(), seen[0]);
  }

  static Map<String, String> defaults() {
    Map<String, String> d = new HashMap<>();
    d.put("otel.exporter.otlp.protocol", "http/protobuf");
    d.put("otel.logs.exporter", "none");
    return d;
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

  public ConfigProperties config() {
    return config;
  }

  /** Flushes and stops export, waiting at most the given time (a dead backend never holds up the JVM's exit). */
  public void shutdown(long timeoutMillis) {
    CompletableResultCode result = sdk.shutdown();
    result.join(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
