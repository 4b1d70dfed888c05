package dev.llmotel.it;

import static dev.llmotel.it.TelemetryScenarios.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedRequest;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.otlp.ReceiverBehaviour;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar llm-otel-agent.jar check} through the real jar: one test span to every configured destination,
 * one line each with OK or FAIL, exit code 0 only when all accepted it.
 */
class ExportCheckCommandTest {
  /** {@code <name> OK|FAIL <n> ms <traces endpoint>}. */
  static final Pattern LINE = Pattern.compile("^(\\S+)\\s+(OK|FAIL)\\s+\\d+ ms\\s+(\\S+)$");

  /** The check's outcome and the four receivers (otlp, openobserve, langfuse, opik) it talked to. */
  record CheckRun(JvmRun jvm, Map<String, OtlpReceiver> receivers) {
    /** The result lines, by destination name: {status, endpoint, the line after it}. */
    Map<String, List<String>> results() {
      Map<String, List<String>> out = new LinkedHashMap<>();
      List<String> lines = jvm.stdout().lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = LINE.matcher(lines.get(i));
        if (m.matches()) {
          out.put(m.group(1), List.of(m.group(2), m.group(3), i + 1 < lines.size() ? lines.get(i + 1).trim() : ""));
        }
      }
      return out;
    }
  }

  private static CheckRun check(String langfuseSecret) throws Exception {
    OtlpReceiver otlp = OtlpReceiver.start();
    OtlpReceiver openObserve = OtlpReceiver.start(ReceiverBehaviour.openObserve(OPENOBSERVE_ORG, OPENOBSERVE_AUTH));
    OtlpReceiver langfuse = OtlpReceiver.start(ReceiverBehaviour.langfuse(LANGFUSE_PK, LANGFUSE_SK));
    OtlpReceiver opik = OtlpReceiver.start(ReceiverBehaviour.opik("/api", OPIK_KEY, OPIK_WORKSPACE));
    Path dir = Files.createTempDirectory("it-check");
    try {
      JvmRun run = AgentJvm.app(Jdk.current(), TestArtifacts.requireAgentJar())
          .args("check")
          .directory(dir)
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())
          .env("OPENOBSERVE_URL", openObserve.endpoint())
          .env("OPENOBSERVE_ORG", OPENOBSERVE_ORG)
          .env("OPENOBSERVE_AUTH_TOKEN", OPENOBSERVE_AUTH)
          .env("LANGFUSE_PUBLIC_KEY", LANGFUSE_PK)
          .env("LANGFUSE_SECRET_KEY", langfuseSecret)
          .env("LANGFUSE_HOST", langfuse.endpoint())
          .env("OPIK_URL_OVERRIDE", opik.endpoint() + "/api")
          .env("OPIK_API_KEY", OPIK_KEY)
          .env("OPIK_WORKSPACE", OPIK_WORKSPACE)
          .timeout(Duration.ofSeconds(60))
          .run();
      Map<String, OtlpReceiver> receivers = new LinkedHashMap<>();
      for (OtlpReceiver r : List.of(otlp, openObserve, langfuse, opik)) receivers.put(r.behaviour().name(), r);
      return new CheckRun(run, receivers);
    } finally {
      for (OtlpReceiver r : List.of(otlp, openObserve, langfuse, opik)) r.close();
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void allDestinationsHealthy() throws Exception {
    CheckRun check = check(LANGFUSE_SK);
    Map<String, List<String>> results = check.results();
    String context = check.jvm().describe();
    assertAll(context,
        () -> assertEquals(0, check.jvm().exitCode(), "exit code"),
        () -> assertEquals(List.of("otlp", "openobserve", "langfuse", "opik"), new ArrayList<>(results.keySet()),
            "one line per destination"),
        () -> results.forEach((name, r) -> assertEquals("OK", r.get(0), name)),
        () -> assertEquals(check.receivers().get("otlp").endpoint() + "/v1/traces", results.get("otlp").get(1)),
        () -> assertEquals(check.receivers().get("openobserve").endpoint() + "/api/" + OPENOBSERVE_ORG + "/v1/traces",
            results.get("openobserve").get(1)),
        () -> assertEquals(check.receivers().get("langfuse").endpoint() + "/api/public/otel/v1/traces",
            results.get("langfuse").get(1)),
        () -> assertEquals(check.receivers().get("opik").endpoint() + "/api/v1/private/otel/v1/traces",
            results.get("opik").get(1)));
    check.receivers().forEach((name, r) -> {
      List<ReceivedRequest> requests = r.requests();
      assertAll(name + ": " + requests + "\n" + context,
          () -> assertEquals(1, requests.size(), "one test export"),
          () -> assertEquals(200, requests.get(0).status()),
          () -> assertEquals(1, r.spans().size(), "one test span"),
          () -> assertTrue(r.spans().stream().map(ReceivedSpan::name).allMatch(n -> n.startsWith("chat ")),
              r.spans().toString()));
    });
  }

  @Test
  void wrongLangfuseKeyFailsWithTheHint() throws Exception {
    CheckRun check = check("sk-lf-wrong");
    Map<String, List<String>> results = check.results();
    assertAll(check.jvm().describe(),
        () -> assertEquals(1, check.jvm().exitCode(), "exit code"),
        () -> assertEquals(List.of("otlp", "openobserve", "langfuse", "opik"), new ArrayList<>(results.keySet())),
        () -> assertEquals("FAIL", results.get("langfuse").get(0)),
        () -> assertTrue(results.get("langfuse").get(2).startsWith("HTTP 401: wrong LANGFUSE_PUBLIC_KEY/LANGFUSE_SECRET_KEY"),
            "hint line: " + results.get("langfuse").get(2)),
        () -> assertEquals("OK", results.get("otlp").get(0)),
        () -> assertEquals("OK", results.get("openobserve").get(0)),
        () -> assertEquals("OK", results.get("opik").get(0)),
        () -> assertEquals(List.of(401), check.receivers().get("langfuse").requests().stream()
            .map(ReceivedRequest::status).toList(), "Langfuse was asked once and refused"));
  }
}
