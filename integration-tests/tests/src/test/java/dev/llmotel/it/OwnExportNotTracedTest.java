package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.simulator.LlmSimulator;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent exports with HttpURLConnection (or java.net.http, the very client the application below uses), JDK classes
 * the agent's hooks weave for the whole JVM. Its OTLP endpoint here ends in {@code /chat/completions}, a path the OpenAI dialect claims: were the
 * export traffic not left alone, every batch would become a chat span of its own (server.port = the sink's) and be
 * exported in turn.
 */
class OwnExportNotTracedTest {
  /** Every JDK with each export sender: HttpURLConnection (the default) and java.net.http. */
  static List<Arguments> runs() {
    List<Arguments> runs = new java.util.ArrayList<>();
    for (Jdk jdk : Jdk.all()) {
      for (String sender : List.of("url-connection", "jdk")) runs.add(Arguments.of(jdk, sender));
    }
    return runs;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("runs")
  void theAgentsOwnExportIsNeverTraced(Jdk jdk, String sender) throws Exception {
    Path agentJar = TestArtifacts.agentJar().orElse(null);
    Assumptions.assumeTrue(agentJar != null, TestArtifacts.agentMissing());
    List<Span> spans = new CopyOnWriteArrayList<>();
    AtomicInteger exports = new AtomicInteger();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext("/sink/v1/chat/completions", x -> {
      try (x; InputStream in = x.getRequestBody()) {
        exports.incrementAndGet();
        for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(in.readAllBytes()).getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) spans.addAll(ss.getSpansList());
        }
        x.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        x.sendResponseHeaders(200, -1);
      }
    });
    sink.start();
    int sinkPort = sink.getAddress().getPort();
    JvmRun run;
    try (LlmSimulator simulator = LlmSimulator.start()) {
      run = exportingTo(jdk, agentJar, "http://127.0.0.1:" + sinkPort, "it-own-export", sender).args(simulator.baseUrl())
          .run();
    } finally {
      sink.stop(0);
    }
    assertEquals(0, run.exitCode(), run.describe());
    long appChats = spans.stream().filter(s -> s.getName().equals("chat gpt-4o-mini")).count();
    List<String> ofTheExport = spans.stream()
        .filter(s -> s.getAttributesList().stream().anyMatch(a -> isSinkPort(a, sinkPort)))
        .map(s -> s.getName() + " " + s.getAttributesList()).toList();
    assertAll(
        () -> assertEquals(3, appChats, "the application's own java.net.http chat calls are traced"),
        () -> assertTrue(exports.get() >= 3, exports.get() + " export requests"),
        () -> assertEquals(List.of(), ofTheExport, "no span of the export traffic"));
  }

  private static boolean isSinkPort(KeyValue a, int port) {
    return a.getKey().equals("server.port") && a.getValue().getIntValue() == port;
  }

  /**
   * The java-http-client app with the agent, exporting its spans one per batch, many batches while it runs, to
   * {@code sinkUrl}'s {@code /sink/v1/chat/completions}: a path the OpenAI dialect claims, so an export request the
   * agent traced would come back as a chat span.
   */
  static AgentJvm exportingTo(Jdk jdk, Path agentJar, String sinkUrl, String serviceName, String sender) {
    return AgentJvm.app(jdk, TestArtifacts.appJar("java-http-client")).agent(agentJar)
        .env(AgentJvm.agentEnvironment(sinkUrl, serviceName))
        .env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", sinkUrl + "/sink/v1/chat/completions")
        .env("OTEL_INSTRUMENTATION_LLM_EXPORT_SENDER", sender)
        .env("OTEL_BSP_SCHEDULE_DELAY", "10") // many small batches while the app still runs
        .env("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1")
        .timeout(Duration.ofSeconds(90));
  }
}
