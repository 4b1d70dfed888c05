package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code service.instance.id} from the agent's {@link InstanceIdResourceProvider} (in place of the SDK's, which sets
 * up the JDK's SecureRandom as it loads; the agent jar's side is checked by {@code AgentJarLayoutIT} and
 * {@code ShortLivedAppIT}): configured as the SDK's.
 */
class ServiceInstanceIdTest {
  private static final InstanceIdResourceProvider PROVIDER = new InstanceIdResourceProvider();

  private static String idFrom(Map<String, String> config) {
    Resource r = PROVIDER.createResource(DefaultConfigProperties.createFromMap(config));
    return r.getAttribute(InstanceIdResourceProvider.SERVICE_INSTANCE_ID);
  }

  private static void assertRandomUuid(String id) {
    assertNotNull(id, "service.instance.id");
    UUID uuid = UUID.fromString(id);
    assertEquals(4, uuid.version(), id);
    assertEquals(2, uuid.variant(), id);
    assertEquals(id, uuid.toString());
  }

  @Test
  void oneRandomIdPerJvm() {
    String id = idFrom(Map.of());
    assertRandomUuid(id);
    assertEquals(InstanceIdResourceProvider.SCHEMA_URL,
        PROVIDER.createResource(DefaultConfigProperties.createFromMap(Map.of())).getSchemaUrl(), "as the SDK's");
    assertEquals(id, idFrom(Map.of()), "the same id every time, as the SDK's");
    assertEquals(id, InstanceIdResourceProvider.id());
    String other = InstanceIdResourceProvider.randomUuid();
    assertRandomUuid(other);
    assertNotEquals(id, other, "two draws gave the same id");
  }

  @Test
  void noIdWhereTheUserTurnsTheSdksProviderOff() {
    String sdk = InstanceIdResourceProvider.SDK_PROVIDER;
    assertNull(idFrom(Map.of("otel.java.disabled.resource.providers", "com.example.A," + sdk)));
    assertNull(idFrom(Map.of("otel.java.enabled.resource.providers", "com.example.A")));
    assertRandomUuid(idFrom(Map.of("otel.java.enabled.resource.providers", "com.example.A," + sdk)));
    assertRandomUuid(idFrom(Map.of("otel.java.disabled.resource.providers", "com.example.A")));
  }

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

  // Through the whole pipeline (the SDK's own provider is on this module's class path, and left out by the agent's
  // component loader)

  @Test
  void everyExportCarriesTheAgentsInstanceId() throws Exception {
    assertEquals(InstanceIdResourceProvider.id(), exportedResource(Map.of()).get("service.instance.id"));
  }

  @Test
  void enablingTheSdksProviderByNameEnablesTheAgents() throws Exception {
    assertEquals(InstanceIdResourceProvider.id(), exportedResource(Map.of("OTEL_JAVA_ENABLED_RESOURCE_PROVIDERS",
        InstanceIdResourceProvider.SDK_PROVIDER)).get("service.instance.id"));
  }

  @Test
  void anInstanceIdFromTheConfigurationWins() throws Exception {
    assertEquals("pod-7", exportedResource(Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=pod-7"))
        .get("service.instance.id"));
  }

  @Test
  void aDisabledKeyRemovesIt() throws Exception {
    assertNull(exportedResource(Map.of("OTEL_RESOURCE_DISABLED_KEYS", "service.instance.id"))
        .get("service.instance.id"));
  }
}
