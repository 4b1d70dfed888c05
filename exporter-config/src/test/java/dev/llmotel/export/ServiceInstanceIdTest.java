package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code service.instance.id}: the agent's own random id in place of the SDK's resource provider (which sets up the
 * JDK's SecureRandom while the application starts), with the same configuration behaviour as the SDK's.
 */
class ServiceInstanceIdTest {
  private BackendReceiver otlp;

  @BeforeEach
  void setUp() throws Exception {
    otlp = new BackendReceiver(r -> 200);
  }

  @AfterEach
  void tearDown() {
    otlp.close();
  }

  /** The resource attributes of the one exported span, exported with these extra settings. */
  private Map<String, String> exportedResource(Map<String, String> settings) throws Exception {
    Map<String, String> env = new HashMap<>(settings);
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.url());
    env.put("OTEL_METRICS_EXPORTER", "none");
    TelemetryPipeline pipeline = TelemetryPipeline.start("test", new EnvironmentSource(Map.of(), env));
    pipeline.sdk().getTracer("test").spanBuilder("chat m").startSpan().end();
    pipeline.shutdown(5000);
    assertEquals(1, otlp.at("/v1/traces").size());
    Map<String, String> out = new HashMap<>();
    for (KeyValue kv : ExportTraceServiceRequest.parseFrom(otlp.at("/v1/traces").get(0).body)
        .getResourceSpans(0).getResource().getAttributesList()) {
      out.put(kv.getKey(), kv.getValue().getStringValue());
    }
    return out;
  }

  private static void assertRandomUuid(String id) {
    assertNotNull(id, "service.instance.id");
    UUID uuid = UUID.fromString(id);
    assertEquals(4, uuid.version(), id);
    assertEquals(2, uuid.variant(), id);
    assertEquals(id, uuid.toString());
  }

  @Test
  void everyExportCarriesARandomInstanceIdByDefault() throws Exception {
    Map<String, String> resource = exportedResource(Map.of());
    assertRandomUuid(resource.get("service.instance.id"));
    assertEquals("llm-otel-agent", resource.get("telemetry.distro.name"));
  }

  @Test
  void anInstanceIdFromTheConfigurationWins() throws Exception {
    assertEquals("pod-7", exportedResource(Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=pod-7"))
        .get("service.instance.id"));
  }

  @Test
  void disablingTheSdksProviderLeavesNoInstanceIdAsWithTheSdk() throws Exception {
    assertNull(exportedResource(Map.of("OTEL_JAVA_DISABLED_RESOURCE_PROVIDERS",
        TelemetryPipeline.SDK_INSTANCE_ID_PROVIDER)).get("service.instance.id"));
  }

  @Test
  void whereTheUserListsProvidersTheSdkDecides() throws Exception {
    assertRandomUuid(exportedResource(Map.of("OTEL_JAVA_DISABLED_RESOURCE_PROVIDERS", "com.example.Other"))
        .get("service.instance.id"));
    assertFalse(TelemetryPipeline.defaults(new EnvironmentSource(Map.of(),
        Map.of("OTEL_JAVA_ENABLED_RESOURCE_PROVIDERS", "com.example.Other")), false)
        .containsKey(TelemetryPipeline.DISABLED_RESOURCE_PROVIDERS));
  }

  @Test
  void idsAreVersionFourUuidsAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = TelemetryPipeline.instanceId();
      assertRandomUuid(id);
      seen.add(id);
    }
    assertEquals(10_000, seen.size());
  }
}
