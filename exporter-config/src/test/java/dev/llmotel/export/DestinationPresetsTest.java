package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.export.destination.Destination;
import dev.llmotel.export.destination.DestinationPresets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationPresetsTest {
  private static List<Destination> presets(Map<String, String> env, List<String> problems) {
    return DestinationPresets.fromEnvironment(new EnvironmentSource(env, Map.of()), problems);
  }

  @Test
  void nothingConfiguredMeansNoPresetsAndNoProblems() {
    List<String> problems = new ArrayList<>();
    assertTrue(presets(Map.of("PATH", "/bin"), problems).isEmpty());
    assertTrue(problems.isEmpty());
  }

  @Test
  void langfuseDefaultsToCloudAndNeedsBothKeys() {
    List<String> problems = new ArrayList<>();
    List<Destination> d = presets(Map.of("LANGFUSE_PUBLIC_KEY", "pk", "LANGFUSE_SECRET_KEY", "sk"), problems);
    assertEquals("https://cloud.langfuse.com/api/public/otel/v1/traces", d.get(0).tracesEndpoint());
    assertNull(d.get(0).metricsEndpoint());
    assertEquals("Basic cGs6c2s=", d.get(0).headers().get("Authorization"));
    // langfuse/langfuse web/src/pages/api/public/otel/v1/traces: x-langfuse-ingestion-version above 4 is a 400
    assertEquals("4", d.get(0).headers().get("x-langfuse-ingestion-version"));

    problems.clear();
    assertTrue(presets(Map.of("LANGFUSE_PUBLIC_KEY", "pk"), problems).isEmpty());
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("LANGFUSE_SECRET_KEY"), problems.get(0));
  }

  @Test
  void langfuseBaseUrlIsTheNewerName() {
    Map<String, String> env = new HashMap<>(Map.of("LANGFUSE_PUBLIC_KEY", "pk", "LANGFUSE_SECRET_KEY", "sk"));
    env.put("LANGFUSE_BASE_URL", "https://us.cloud.langfuse.com/");
    assertEquals("https://us.cloud.langfuse.com/api/public/otel/v1/traces",
        presets(env, new ArrayList<>()).get(0).tracesEndpoint());
  }

  @Test
  void aUrlWithoutSchemeIsNamedAndSkippedWhileOthersStillWork() {
    Map<String, String> env = new HashMap<>();
    env.put("OPENOBSERVE_URL", "localhost:5080");
    env.put("OPENOBSERVE_AUTH_TOKEN", "Basic abc");
    env.put("OPIK_URL_OVERRIDE", "http://localhost:5173/api");
    List<String> problems = new ArrayList<>();
    List<Destination> d = presets(env, problems);
    assertEquals(1, d.size());
    assertEquals("opik", d.get(0).name());
    assertEquals("http://localhost:5173/api/v1/private/otel/v1/traces", d.get(0).tracesEndpoint());
    assertEquals("Default Project", d.get(0).headers().get("projectName"));
    assertFalse(d.get(0).headers().containsKey("Authorization"), "self-hosted Opik needs no key");
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("OPENOBSERVE_URL=localhost:5080"), problems.get(0));
  }

  /**
   * A URL that passes the scheme check but is no URL the exporter takes (the SDK would refuse its whole configuration
   * over it): named, skipped, the others kept; a user and password in it are not printed.
   */
  @Test
  void anEndpointThatIsNoValidUrlIsNamedAndSkippedWhileOthersStillWork() {
    Map<String, String> env = new HashMap<>();
    env.put("OPENOBSERVE_URL", "https://o2:s3cret@openobserve.example");
    env.put("OPENOBSERVE_ORG", "my org");
    env.put("OPENOBSERVE_AUTH_TOKEN", "Basic abc");
    env.put("LANGFUSE_PUBLIC_KEY", "pk");
    env.put("LANGFUSE_SECRET_KEY", "sk");
    env.put("LANGFUSE_HOST", "https://${LANGFUSE_DOMAIN}");
    env.put("OPIK_URL_OVERRIDE", "http://");
    List<String> problems = new ArrayList<>();
    assertTrue(presets(env, problems).isEmpty());
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("OpenObserve: OPENOBSERVE_URL / OPENOBSERVE_ORG make https://****@"),
        problems.get(0));
    assertFalse(problems.get(0).contains("s3cret"), problems.get(0));
    assertTrue(problems.get(1).startsWith("Langfuse: LANGFUSE_HOST make"), problems.get(1));
    assertTrue(problems.get(2).startsWith("Opik: OPIK_URL_OVERRIDE make"), problems.get(2));

    env.put("OPIK_URL_OVERRIDE", "http://opik_frontend:5173/api"); // a host name with _, as Compose may make one
    problems.clear();
    List<Destination> d = presets(env, problems);
    assertEquals(1, d.size(), problems.toString());
    assertEquals("opik", d.get(0).name());
  }

  @Test
  void openObserveTokenWithoutSchemeGetsBasicAndOrgDefaults() {
    List<Destination> d = presets(Map.of("OPENOBSERVE_URL", "http://o2:5080", "OPENOBSERVE_AUTH_TOKEN", "abc"),
        new ArrayList<>());
    assertEquals("http://o2:5080/api/default/v1/traces", d.get(0).tracesEndpoint());
    assertEquals("http://o2:5080/api/default/v1/metrics", d.get(0).metricsEndpoint());
    assertEquals("Basic abc", d.get(0).headers().get("Authorization"));
  }

  @Test
  void opikCloudNeedsAWorkspace() {
    List<String> problems = new ArrayList<>();
    assertTrue(presets(Map.of("OPIK_API_KEY", "k"), problems).isEmpty());
    assertTrue(problems.get(0).contains("OPIK_WORKSPACE"));
    List<Destination> d = presets(Map.of("OPIK_API_KEY", "k", "OPIK_WORKSPACE", "w"), new ArrayList<>());
    assertEquals("https://www.comet.com/opik/api/v1/private/otel/v1/traces", d.get(0).tracesEndpoint());
    assertEquals("k", d.get(0).headers().get("Authorization"));
  }

  @Test
  void dotEnvFillsGapsButRealEnvironmentWins() {
    Map<String, String> dot = EnvironmentSource.parseDotEnv(List.of(
        "# comment", "export LANGFUSE_PUBLIC_KEY=pk-dot", "LANGFUSE_SECRET_KEY=\"sk-dot\"",
        "OTEL_SERVICE_NAME=svc # trailing comment", "broken line"));
    EnvironmentSource env = new EnvironmentSource(Map.of("LANGFUSE_PUBLIC_KEY", "pk-real"), dot);
    assertEquals("pk-real", env.get("LANGFUSE_PUBLIC_KEY"));
    assertEquals("sk-dot", env.get("LANGFUSE_SECRET_KEY"));
    assertEquals("svc", env.get("OTEL_SERVICE_NAME"));
    assertEquals("pk-real", env.all().get("LANGFUSE_PUBLIC_KEY"));
    assertEquals("svc", TelemetryPipeline.defaults(env, false).get("otel.service.name"));
  }

  @Test
  void presetsAloneDoNotAlsoExportToLocalhost() {
    EnvironmentSource env = new EnvironmentSource(Map.of("LANGFUSE_PUBLIC_KEY", "pk"), Map.of());
    assertEquals("none", TelemetryPipeline.defaults(env, true).get("otel.traces.exporter"));
    EnvironmentSource both = new EnvironmentSource(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), Map.of());
    assertNull(TelemetryPipeline.defaults(both, true).get("otel.traces.exporter"));
  }
}
