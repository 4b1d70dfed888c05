package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The real backends, in containers: one LLM span through the agent's pipeline, then each backend's own API is asked
 * for it (model, usage, observation type). Needs a Docker engine; without one every test here is skipped with that
 * reason (the wire tests in BackendPresetsWireTest cover the same requests against local stand-ins).
 */
class RealBackendsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static void assumeDocker() {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      docker = false;
    }
    Assumptions.assumeTrue(docker, "no Docker engine on this machine: real-backend tests skipped "
        + "(the wire tests cover the requests)");
  }

  private static String emitOneSpan(Map<String, String> env) {
    env.put("OTEL_BSP_SCHEDULE_DELAY", "50");
    env.put("OTEL_METRICS_EXPORTER", "none");
    TelemetryPipeline pipeline = TelemetryPipeline.start("it", new EnvironmentSource(env, Map.of()));
    Span span = pipeline.sdk().getTracer("it").spanBuilder("chat gpt-4o-mini").setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "openai")
        .setAttribute("gen_ai.request.model", "gpt-4o-mini")
        .setAttribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
        .setAttribute(AttributeKey.longKey("gen_ai.usage.input_tokens"), 11L)
        .setAttribute(AttributeKey.longKey("gen_ai.usage.output_tokens"), 7L)
        .startSpan();
    String traceId = span.getSpanContext().getTraceId();
    span.end();
    pipeline.shutdown(10_000);
    return traceId;
  }

  private static String poll(String what, HttpRequest request, Predicate<String> ready) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      body = r.body();
      if (r.statusCode() == 200 && ready.test(body)) return body;
      Thread.sleep(1000);
    }
    return fail(what + " never showed the span; last answer: " + body);
  }

  @Test
  void openObserveStoresTheSpanWithFlattenedGenAiColumns() throws Exception {
    assumeDocker();
    try (GenericContainer<?> o2 = new GenericContainer<>("public.ecr.aws/zinclabs/openobserve:v0.92.2")
        .withEnv("ZO_ROOT_USER_EMAIL", "root@example.com").withEnv("ZO_ROOT_USER_PASSWORD", "Complexpass#123")
        .withExposedPorts(5080).waitingFor(Wait.forHttp("/healthz").forPort(5080))) {
      o2.start();
      String url = "http://" + o2.getHost() + ":" + o2.getMappedPort(5080);
      String auth = "Basic " + Base64.getEncoder().encodeToString(
          "root@example.com:Complexpass#123".getBytes(StandardCharsets.UTF_8));
      Map<String, String> env = new HashMap<>();
      env.put("OPENOBSERVE_URL", url);
      env.put("OPENOBSERVE_ORG", "default");
      env.put("OPENOBSERVE_AUTH_TOKEN", auth);
      String traceId = emitOneSpan(env);
      long now = System.currentTimeMillis() * 1000;
      String sql = "{\"query\":{\"sql\":\"SELECT * FROM \\\"default\\\" WHERE trace_id = '" + traceId + "'\","
          + "\"start_time\":" + (now - 3_600_000_000L) + ",\"end_time\":" + (now + 60_000_000L)
          + ",\"from\":0,\"size\":10}}";
      String body = poll("OpenObserve", HttpRequest.newBuilder(URI.create(url + "/api/default/_search?type=traces"))
          .header("Authorization", auth).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), b -> b.contains(traceId));
      assertTrue(body.contains("\"gen_ai_request_model\":\"gpt-4o-mini\""), body);
      assertTrue(body.contains("\"gen_ai_usage_input_tokens\":11"), body);
      assertTrue(body.contains("\"operation_name\":\"chat gpt-4o-mini\""), body);
    }
  }

  @Test
  void langfuseShowsTheSpanAsAGenerationWithModelAndUsage() throws Exception {
    assumeDocker();
    File compose = new File("../docker-compose.yml");
    try (ComposeContainer langfuse = new ComposeContainer(compose)
        .withEnv("COMPOSE_PROFILES", "langfuse")
        .withEnv("LANGFUSE_PUBLIC_KEY", "pk-lf-it").withEnv("LANGFUSE_SECRET_KEY", "sk-lf-it")
        .withExposedService("langfuse-web", 3000, Wait.forHttp("/api/public/health").forPort(3000)
            .withStartupTimeout(Duration.ofMinutes(5)))) {
      langfuse.start();
      String host = "http://" + langfuse.getServiceHost("langfuse-web", 3000) + ":"
          + langfuse.getServicePort("langfuse-web", 3000);
      Map<String, String> env = new HashMap<>();
      env.put("LANGFUSE_HOST", host);
      env.put("LANGFUSE_PUBLIC_KEY", "pk-lf-it");
      env.put("LANGFUSE_SECRET_KEY", "sk-lf-it");
      String traceId = emitOneSpan(env);
      String auth = "Basic " + Base64.getEncoder().encodeToString("pk-lf-it:sk-lf-it".getBytes(StandardCharsets.UTF_8));
      String body = poll("Langfuse", HttpRequest.newBuilder(
          URI.create(host + "/api/public/observations?traceId=" + traceId)).header("Authorization", auth).build(),
          b -> b.contains("GENERATION"));
      assertTrue(body.contains("\"type\":\"GENERATION\""), body);
      assertTrue(body.contains("gpt-4o-mini"), body);
      assertTrue(body.matches("(?s).*\"input\":11\\b.*"), body);
    }
  }

  @Test
  void opikShowsTheSpanAsAnLlmSpan() throws Exception {
    assumeDocker();
    String running = System.getenv("OPIK_TEST_URL"); // an Opik already up, e.g. http://localhost:5173/api
    if (running != null) {
      checkOpik(running);
      return;
    }
    File compose = new File("../docker-compose.yml");
    try (ComposeContainer opik = new ComposeContainer(compose)
        .withEnv("COMPOSE_PROFILES", "opik")
        .withExposedService("opik-frontend", 5173, Wait.forHttp("/api/health-check").forPort(5173)
            .withStartupTimeout(Duration.ofMinutes(10)))) {
      opik.start();
      checkOpik("http://" + opik.getServiceHost("opik-frontend", 5173) + ":"
          + opik.getServicePort("opik-frontend", 5173) + "/api");
    }
  }

  private static void checkOpik(String base) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("OPIK_URL_OVERRIDE", base);
    env.put("OPIK_PROJECT_NAME", "llm-otel-agent-it");
    emitOneSpan(env);
    String body = poll("Opik", HttpRequest.newBuilder(
        URI.create(base + "/v1/private/spans?project_name=llm-otel-agent-it")).build(),
        b -> b.contains("chat gpt-4o-mini"));
    assertTrue(body.contains("\"type\":\"llm\""), body);
    assertTrue(body.contains("\"model\":\"gpt-4o-mini"), body);
    assertTrue(body.contains("\"prompt_tokens\":11"), body);
  }
}
