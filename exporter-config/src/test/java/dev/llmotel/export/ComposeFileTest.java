package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml is well-formed, wired as documented, and every variable it uses is in .env.example. */
class ComposeFileTest {
  static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
  static String composeText;
  static Map<String, Object> compose;
  static Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws Exception {
    composeText = new String(Files.readAllBytes(ROOT.resolve("docker-compose.yml")), StandardCharsets.UTF_8);
    compose = new Yaml().load(composeText);
    services = (Map<String, Map<String, Object>>) compose.get("services");
  }

  @Test
  void everyVariableUsedIsDocumentedInEnvExample() throws Exception {
    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(ROOT.resolve(".env.example"), StandardCharsets.UTF_8)) {
      Matcher m = Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=").matcher(line.trim());
      if (m.find()) documented.add(m.group(1));
    }
    Set<String> used = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(composeText);
    while (m.find()) used.add(m.group(1));
    assertFalse(used.isEmpty());
    used.removeAll(documented);
    assertEquals(Set.of(), used, "used in docker-compose.yml but not in .env.example");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDemoRunsWithTheAgentBuiltByMaven() {
    Map<String, Object> demo = services.get("demo");
    assertNotNull(demo);
    assertNull(demo.get("profiles"), "the demo is not behind a profile");
    List<String> volumes = (List<String>) demo.get("volumes");
    assertTrue(volumes.contains("./agent/target/llm-otel-agent.jar:/javaagent/llm-otel-agent.jar:ro"), volumes.toString());
    Map<String, Object> env = (Map<String, Object>) demo.get("environment");
    assertEquals("-javaagent:/javaagent/llm-otel-agent.jar", env.get("JAVA_TOOL_OPTIONS"));
    for (String v : new String[] {"OPENOBSERVE_URL", "OPENOBSERVE_AUTH_TOKEN", "LANGFUSE_PUBLIC_KEY",
        "LANGFUSE_SECRET_KEY", "LANGFUSE_HOST", "OPIK_URL_OVERRIDE", "OPIK_API_KEY", "OPIK_WORKSPACE"}) {
      assertTrue(env.containsKey(v), "demo does not pass " + v);
    }
    for (String v : volumes) {
      String host = v.split(":")[0];
      assertTrue(host.startsWith("./agent/target/") || host.startsWith("./integration-tests/demo/target/"), v);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void backendsAreOptInProfilesAndReferencesResolve() {
    Map<String, Object> volumes = (Map<String, Object>) compose.get("volumes");
    Set<String> profiles = new TreeSet<>();
    for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
      Map<String, Object> svc = e.getValue();
      assertNotNull(svc.get("image"), e.getKey() + " has no image");
      if (!e.getKey().equals("demo")) {
        List<String> p = (List<String>) svc.get("profiles");
        assertNotNull(p, e.getKey() + " must be opt-in");
        profiles.addAll(p);
      }
      Object deps = svc.get("depends_on");
      if (deps instanceof Map) {
        for (String dep : ((Map<String, Object>) deps).keySet()) {
          assertTrue(services.containsKey(dep), dep);
          assertEquals(svc.get("profiles"), services.get(dep).get("profiles"),
              e.getKey() + " depends on " + dep + " of another profile");
        }
      }
      Object configs = svc.get("configs");
      if (configs instanceof List) {
        Map<String, Object> declared = (Map<String, Object>) compose.get("configs");
        for (Map<String, Object> c : (List<Map<String, Object>>) configs) {
          assertNotNull(declared, "top-level configs missing");
          assertTrue(declared.containsKey((String) c.get("source")), "undeclared config " + c.get("source"));
          assertTrue(((String) c.get("target")).startsWith("/"), c.toString());
        }
      }
      Object vols = svc.get("volumes");
      if (vols instanceof List) {
        for (String v : (List<String>) vols) {
          String source = v.split(":")[0];
          if (!source.startsWith(".")) assertTrue(volumes.containsKey(source), "undeclared volume " + source);
        }
      }
    }
    assertEquals(Set.of("gateway", "langfuse", "openobserve", "opik"), profiles);
  }

  @Test
  @SuppressWarnings("unchecked")
  void inlineConfigsAreUsedWellFormedAndEscapeDollarsFromCompose() throws Exception {
    Map<String, Map<String, Object>> configs = (Map<String, Map<String, Object>>) compose.get("configs");
    assertNotNull(configs);
    Set<String> used = new TreeSet<>();
    for (Map<String, Object> svc : services.values()) {
      Object c = svc.get("configs");
      if (c instanceof List) for (Map<String, Object> ref : (List<Map<String, Object>>) c) used.add((String) ref.get("source"));
    }
    assertEquals(configs.keySet(), used, "declared but unused configs");
    for (Map.Entry<String, Map<String, Object>> e : configs.entrySet()) {
      String content = (String) e.getValue().get("content");
      assertNotNull(content, e.getKey());
      // Compose substitutes ${VAR} and $VAR in content: a literal dollar (nginx variables) must be written $$
      Matcher bare = Pattern.compile("(?<!\\$)\\$(?![$]|\\{)").matcher(content.replace("$$", ""));
      assertFalse(bare.find(), e.getKey() + ": unescaped $ at " + (bare.find(0) ? bare.start() : -1));
      if (content.trim().startsWith("<")) {
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new java.io.ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOpikStackPointsAtItsOwnServices() {
    Map<String, Object> backend = (Map<String, Object>) services.get("opik-backend").get("environment");
    for (String key : new String[] {"STATE_DB_URL", "ANALYTICS_DB_HOST", "REDIS_URL", "S3_URL",
        "ANALYTICS_DB_MIGRATIONS_URL"}) {
      String value = String.valueOf(backend.get(key));
      Matcher host = Pattern.compile("(opik-[a-z]+)").matcher(value);
      assertTrue(host.find(), key + "=" + value);
      assertTrue(services.containsKey(host.group(1)), key + " names no service: " + value);
    }
    Map<String, Map<String, Object>> configs = (Map<String, Map<String, Object>>) compose.get("configs");
    String nginx = (String) configs.get("opik-nginx").get("content");
    assertTrue(nginx.contains("proxy_pass http://opik-backend:8080;"), nginx);
    assertTrue(nginx.contains("location = /health"), "the frontend's health check needs /health");
    String clickhouse = (String) configs.get("opik-clickhouse-server").get("content");
    assertTrue(clickhouse.contains("<host>opik-zookeeper</host>") && services.containsKey("opik-zookeeper"));
    // the README's and .env.example's base URL for this profile is the frontend's /api
    assertTrue(((List<String>) services.get("opik-frontend").get("ports")).contains("5173:5173"));
  }
  /**
   * OpenObserve is pinned to the release its dashboard and its LLM span enrichment (README "OpenObserve") were
   * checked against, not {@code latest}, and the real-backend test runs the same image.
   */
  @Test
  void openObserveIsPinnedToTheCheckedRelease() throws Exception {
    String image = String.valueOf(services.get("openobserve").get("image"));
    assertTrue(image.matches("public\\.ecr\\.aws/zinclabs/openobserve:v\\d+\\.\\d+\\.\\d+"), image);
    String realBackends = new String(Files.readAllBytes(
        ROOT.resolve("exporter-config/src/test/java/dev/llmotel/export/RealBackendsTest.java")), StandardCharsets.UTF_8);
    assertTrue(realBackends.contains("\"" + image + "\""), "RealBackendsTest runs " + image);
    String readme = new String(Files.readAllBytes(ROOT.resolve("README.md")), StandardCharsets.UTF_8);
    assertTrue(readme.contains(image.substring(image.indexOf(':') + 1)), "README names the checked version");
  }
}
