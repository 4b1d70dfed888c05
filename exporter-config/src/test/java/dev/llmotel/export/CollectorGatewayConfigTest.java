package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.export.destination.Destination;
import dev.llmotel.export.destination.DestinationPresets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * exporter-config/collector/gateway.yaml checked for structure, as {@code otelcol-contrib validate} would reject it
 * (no Collector binary is installable on this project's build machines: no Debian or npm package; where one exists,
 * {@code otelcol-contrib validate --config=exporter-config/collector/gateway.yaml} is the real check): every pipeline's
 * components are defined, every defined component is used, every component type exists in collector-contrib, the tail
 * sampling keeps errors and slow calls, the per-backend receivers listen on the paths the agent's backend presets
 * post to, and the variables it reads are the documented ones. The compose profile {@code gateway} runs it.
 */
class CollectorGatewayConfigTest {
  static final Path ROOT = ComposeFileTest.ROOT;
  static final Path CONFIG = ROOT.resolve("exporter-config/collector/gateway.yaml");

  /**
   * Component types of otelcol-contrib this config may use, from open-telemetry/opentelemetry-collector-releases
   * distributions/otelcol-contrib/manifest.yaml (component modules v0.136.0): otlpreceiver; batchprocessor,
   * memorylimiterprocessor, tailsamplingprocessor, transformprocessor, attributesprocessor, filterprocessor,
   * resourceprocessor; otlphttpexporter, otlpexporter, debugexporter, loadbalancingexporter; healthcheckextension,
   * basicauthextension, headerssetterextension, bearertokenauthextension.
   */
  static final Map<String, Set<String>> CONTRIB_TYPES = Map.of(
      "receivers", Set.of("otlp"),
      "processors", Set.of("batch", "memory_limiter", "tail_sampling", "transform", "attributes", "filter",
          "resource"),
      "exporters", Set.of("otlphttp", "otlp", "debug", "loadbalancing"),
      "extensions", Set.of("health_check", "basicauth", "headers_setter", "bearertokenauth"));
  static final String CONTRIB_VERSION = "0.136.0";

  /** The variables README's "Collector gateway" section and .env.example document for the Collector. */
  static final Set<String> DOCUMENTED_VARIABLES = Set.of("OPENOBSERVE_URL", "OPENOBSERVE_ORG",
      "OPENOBSERVE_AUTH_TOKEN", "OPENOBSERVE_STREAM_NAME", "LANGFUSE_HOST", "LANGFUSE_PUBLIC_KEY",
      "LANGFUSE_SECRET_KEY", "OPIK_URL_OVERRIDE", "OPIK_API_KEY", "OPIK_WORKSPACE", "OPIK_PROJECT_NAME",
      "GATEWAY_SLOW_CALL_MS", "GATEWAY_SAMPLE_PERCENT");

  static String text;
  static Map<String, Object> config;
  static Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws Exception {
    text = new String(Files.readAllBytes(CONFIG), StandardCharsets.UTF_8);
    config = new Yaml().load(text);
    Map<String, Object> compose = new Yaml().load(
        new String(Files.readAllBytes(ROOT.resolve("docker-compose.yml")), StandardCharsets.UTF_8));
    services = (Map<String, Map<String, Object>>) compose.get("services");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String what) {
    assertTrue(o instanceof Map, what + " is a mapping: " + o);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<String> list(Object o, String what) {
    assertTrue(o instanceof List, what + " is a list: " + o);
    return (List<String>) o;
  }

  static String type(String id) {
    int slash = id.indexOf('/');
    return slash < 0 ? id : id.substring(0, slash);
  }

  static Map<String, Object> pipelines() {
    return map(map(config.get("service"), "service").get("pipelines"), "service.pipelines");
  }

  @Test
  void everyPipelineComponentIsDefinedAndEveryDefinedComponentIsUsed() {
    Map<String, Set<String>> used = new LinkedHashMap<>();
    for (String kind : List.of("receivers", "processors", "exporters")) used.put(kind, new TreeSet<>());
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Object> p : pipelines().entrySet()) {
      String signal = type(p.getKey());
      assertTrue(Set.of("traces", "metrics", "logs").contains(signal), "pipeline " + p.getKey());
      Map<String, Object> pipeline = map(p.getValue(), p.getKey());
      assertFalse(list(pipeline.get("receivers"), p.getKey()).isEmpty(), p.getKey() + " has receivers");
      assertFalse(list(pipeline.get("exporters"), p.getKey()).isEmpty(), p.getKey() + " has exporters");
      for (String kind : used.keySet()) {
        Object ids = pipeline.get(kind);
        if (ids == null) continue;
        for (String id : list(ids, p.getKey() + "." + kind)) {
          used.get(kind).add(id);
          if (!map(config.get(kind), kind).containsKey(id)) problems.add(p.getKey() + ": " + kind + " " + id);
        }
      }
    }
    assertEquals(List.of(), problems, "used in a pipeline but not defined");
    for (String kind : used.keySet()) {
      assertEquals(new TreeSet<>(map(config.get(kind), kind).keySet()), used.get(kind), kind + " defined but unused");
    }
    List<String> extensions = list(map(config.get("service"), "service").get("extensions"), "service.extensions");
    assertEquals(new TreeSet<>(map(config.get("extensions"), "extensions").keySet()), new TreeSet<>(extensions),
        "extensions defined vs enabled");
    // an authenticator an exporter names is an enabled extension
    for (Map.Entry<String, Object> e : map(config.get("exporters"), "exporters").entrySet()) {
      Object auth = map(e.getValue(), e.getKey()).get("auth");
      if (auth != null) {
        assertTrue(extensions.contains((String) map(auth, "auth").get("authenticator")), e.getKey());
      }
    }
  }

  @Test
  void everyComponentTypeExistsInCollectorContrib() {
    for (Map.Entry<String, Set<String>> kind : CONTRIB_TYPES.entrySet()) {
      for (String id : map(config.get(kind.getKey()), kind.getKey()).keySet()) {
        assertTrue(kind.getValue().contains(type(id)),
            kind.getKey() + " " + id + ": not a component of otelcol-contrib " + CONTRIB_VERSION);
      }
    }
    assertEquals(CONTRIB_TYPES.keySet(), config.keySet().stream().filter(k -> !k.equals("service"))
        .collect(java.util.stream.Collectors.toSet()), "top-level sections");
  }

  /** Batching and retries on every path; tail sampling keeps every error and every slow call on every trace path. */
  @Test
  void batchingRetryAndTailSamplingThatKeepsErrorsAndSlowCalls() {
    for (Map.Entry<String, Object> p : pipelines().entrySet()) {
      List<String> processors = list(map(p.getValue(), p.getKey()).get("processors"), p.getKey());
      assertEquals("memory_limiter", processors.get(0), p.getKey() + ": memory_limiter first");
      assertEquals("batch", processors.get(processors.size() - 1), p.getKey() + ": batch last");
      if (p.getKey().startsWith("traces")) {
        assertTrue(processors.indexOf("tail_sampling") > 0
            && processors.indexOf("tail_sampling") < processors.indexOf("batch"), p.getKey() + ": " + processors);
      }
    }
    for (Map.Entry<String, Object> e : map(config.get("exporters"), "exporters").entrySet()) {
      Map<String, Object> exporter = map(e.getValue(), e.getKey());
      assertEquals(true, map(exporter.get("sending_queue"), e.getKey() + ".sending_queue").get("enabled"), e.getKey());
      assertEquals(true, map(exporter.get("retry_on_failure"), e.getKey() + ".retry_on_failure").get("enabled"),
          e.getKey());
    }
    Map<String, Object> tail = map(map(config.get("processors"), "processors").get("tail_sampling"), "tail_sampling");
    Set<String> kept = new LinkedHashSet<>();
    for (Object o : (List<?>) tail.get("policies")) {
      Map<String, Object> policy = map(o, "policy");
      String type = (String) policy.get("type");
      Map<String, Object> settings = map(policy.get(type), "policy " + policy.get("name") + " settings");
      if (type.equals("status_code")) {
        assertEquals(List.of("ERROR"), settings.get("status_codes"));
        kept.add("errors");
      } else if (type.equals("latency")) {
        assertNotNull(settings.get("threshold_ms"));
        kept.add("slow");
      } else {
        assertEquals("probabilistic", type, "other policies");
      }
    }
    assertEquals(Set.of("errors", "slow"), kept, "tail sampling keeps errors and slow calls");
  }

  /**
   * The agent sends each backend's view to the Collector by pointing the backend's own variable at it; its presets
   * must post exactly to the paths the Collector's receivers listen on, and the Collector's exporters must post to
   * the paths the backends serve (otlphttp appends /v1/traces and /v1/metrics to its endpoint).
   */
  @Test
  void theAgentsBackendPresetsReachTheCollectorsReceivers() {
    Map<String, String> env = Map.of(
        "LANGFUSE_HOST", "http://collector:4320", "LANGFUSE_PUBLIC_KEY", "via-gateway",
        "LANGFUSE_SECRET_KEY", "via-gateway", "OPIK_URL_OVERRIDE", "http://collector:4321/api");
    List<String> problems = new ArrayList<>();
    Map<String, Destination> byName = new LinkedHashMap<>();
    for (Destination d : DestinationPresets.fromEnvironment(new EnvironmentSource(env, Map.of()), problems)) {
      byName.put(d.name(), d);
    }
    assertEquals(List.of(), problems);
    Map<String, Object> receivers = map(config.get("receivers"), "receivers");
    for (String backend : List.of("langfuse", "opik")) {
      URI posted = URI.create(byName.get(backend).tracesEndpoint());
      Map<String, Object> http = map(map(map(receivers.get("otlp/" + backend), backend).get("protocols"),
          "protocols").get("http"), "http");
      assertEquals("0.0.0.0:" + posted.getPort(), http.get("endpoint"), backend);
      assertEquals(posted.getPath(), http.get("traces_url_path"), backend);
      assertNull(byName.get(backend).metricsEndpoint(), backend + " takes no metrics");
    }
    Map<String, Object> exporters = map(config.get("exporters"), "exporters");
    assertEquals("${env:LANGFUSE_HOST}/api/public/otel", map(exporters.get("otlphttp/langfuse"), "").get("endpoint"));
    assertEquals("${env:OPIK_URL_OVERRIDE}/v1/private/otel", map(exporters.get("otlphttp/opik"), "").get("endpoint"));
    assertEquals("${env:OPENOBSERVE_URL}/api/${env:OPENOBSERVE_ORG}",
        map(exporters.get("otlphttp/openobserve"), "").get("endpoint"));
    // plain OTLP (traces and metrics) arrives on the default receiver and goes to OpenObserve only
    assertEquals(List.of("otlp"), map(pipelines().get("metrics/openobserve"), "").get("receivers"));
    assertEquals(List.of("otlp"), map(pipelines().get("traces/openobserve"), "").get("receivers"));
    assertEquals("4", map(map(exporters.get("otlphttp/langfuse"), "").get("headers"), "headers")
        .get("x-langfuse-ingestion-version"));
  }

  /** Every ${env:X} the config reads is documented, passed by the compose profile, and listed in .env.example. */
  @Test
  @SuppressWarnings("unchecked")
  void theVariablesItReadsAreTheDocumentedOnes() throws Exception {
    Set<String> read = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}").matcher(text);
    while (m.find()) read.add(m.group(1));
    assertEquals(new TreeSet<>(DOCUMENTED_VARIABLES), read);
    assertFalse(Pattern.compile("\\$\\{(?!env:)").matcher(text.replaceAll("(?m)#.*$", "")).find(),
        "only ${env:...} references");

    Map<String, Object> collector = services.get("collector");
    assertNotNull(collector, "docker-compose.yml service collector");
    assertEquals(List.of("gateway"), collector.get("profiles"));
    Map<String, Object> env = (Map<String, Object>) collector.get("environment");
    assertEquals(read, new TreeSet<>(env.keySet()), "the collector service sets exactly what the config reads");
    assertTrue(((List<String>) collector.get("volumes")).stream()
        .anyMatch(v -> v.startsWith("./exporter-config/collector/gateway.yaml:")), collector.toString());

    String readme = new String(Files.readAllBytes(ROOT.resolve("README.md")), StandardCharsets.UTF_8);
    for (String v : read) assertTrue(readme.contains("`" + v + "`") || readme.contains(v), "README names " + v);
    assertTrue(readme.contains("otelcol-contrib validate --config=exporter-config/collector/gateway.yaml"));
  }
  /**
   * Outside compose nothing sets the sampling variables: an unset {@code ${env:X}} resolves to nothing, which the
   * latency policy reads as threshold 0 (every trace is slow: sampling silently off). Each sampling value therefore
   * carries a default in the Collector's own syntax ({@code ${env:NAME:-default}}, confmap envprovider
   * parseEnvVarURI, contrib 0.136.0), the same defaults as the compose service and .env.example.
   */
  @Test
  @SuppressWarnings("unchecked")
  void tailSamplingValuesHaveDefaultsOutsideCompose() {
    Map<String, Object> tail = map(map(config.get("processors"), "processors").get("tail_sampling"), "tail_sampling");
    Map<String, String> values = new LinkedHashMap<>();
    for (Object o : (List<?>) tail.get("policies")) {
      Map<String, Object> policy = map(o, "policy");
      String type = (String) policy.get("type");
      Map<String, Object> settings = map(policy.get(type), type);
      if (type.equals("latency")) values.put("threshold_ms", String.valueOf(settings.get("threshold_ms")));
      if (type.equals("probabilistic")) {
        values.put("sampling_percentage", String.valueOf(settings.get("sampling_percentage")));
      }
    }
    assertEquals(Map.of("threshold_ms", "${env:GATEWAY_SLOW_CALL_MS:-10000}",
        "sampling_percentage", "${env:GATEWAY_SAMPLE_PERCENT:-100}"), values);
    assertEquals(Map.of("threshold_ms", "10000", "sampling_percentage", "100"),
        resolveUnset(values), "resolved with the variables unset");
    Map<String, Object> env = (Map<String, Object>) services.get("collector").get("environment");
    assertEquals("${GATEWAY_SLOW_CALL_MS:-10000}", env.get("GATEWAY_SLOW_CALL_MS"), "compose default matches");
    assertEquals("${GATEWAY_SAMPLE_PERCENT:-100}", env.get("GATEWAY_SAMPLE_PERCENT"), "compose default matches");
  }

  /** The envprovider's rule for an unset variable: the text after {@code :-}, or nothing (null) without one. */
  static Map<String, String> resolveUnset(Map<String, String> values) {
    Map<String, String> resolved = new LinkedHashMap<>();
    Pattern ref = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    for (Map.Entry<String, String> e : values.entrySet()) {
      Matcher m = ref.matcher(e.getValue());
      assertTrue(m.matches(), e.getKey() + " is one reference: " + e.getValue());
      resolved.put(e.getKey(), m.group(2));
    }
    return resolved;
  }

  /** The Collector's receivers take data unauthenticated and it holds the backends' keys: published on loopback only. */
  @Test
  @SuppressWarnings("unchecked")
  void theComposeProfilePublishesTheCollectorOnLoopbackOnly() {
    List<Object> ports = (List<Object>) services.get("collector").get("ports");
    assertFalse(ports.isEmpty());
    for (Object port : ports) {
      assertTrue(String.valueOf(port).startsWith("127.0.0.1:"), "published on all interfaces: " + port);
    }
  }
}
