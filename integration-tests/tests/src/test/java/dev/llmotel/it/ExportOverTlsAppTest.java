package dev.llmotel.it;

import dev.llmotel.testkit.tls.TestPki;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent exporting over TLS in a real JVM: the java-http-client app against the LLM simulator, its spans sent with
 * each of the agent's senders to an HTTPS OTLP sink whose certificate a private CA (made at test time with keytool)
 * signed, trusted only through {@code OTEL_EXPORTER_OTLP_CERTIFICATE}. The sink takes the traces at a path ending in
 * {@code /chat/completions}, which the OpenAI dialect claims (as in {@link OwnExportNotTracedTest}): were the agent's
 * own HTTPS export traffic traced (HttpsURLConnection and java.net.http are the JDK clients its hooks weave), each batch
 * would come back as a chat span with the sink's port.
 */
class ExportOverTlsAppTest {
  private static final String APP = "java-http-client";
  private static final Map<String, Long> EXPECTED = Map.of("chat gpt-4o-mini", 3L,
      "embeddings text-embedding-3-small", 1L, "chat sim-huge", 1L);

  @TempDir
  static Path pkiDir;
  static TestPki pki;
  static TestPki.Issued sinkCert;
  /** The app's run without the agent, per JDK (the same for both senders). */
  private static final Map<Jdk, JvmRun> plainRuns = new ConcurrentHashMap<>();

  @BeforeAll
  static void makeCertificates() throws Exception {
    pki = TestPki.create(pkiDir);
    sinkCert = pki.issue("otlp-sink", "san=ip:127.0.0.1,dns:localhost", "eku=serverAuth");
  }

  private static JvmRun plain(Jdk jdk) throws Exception {
    JvmRun cached = plainRuns.get(jdk);
    if (cached != null) return cached;
    try (LlmSimulator simulator = LlmSimulator.start()) {
      JvmRun run = AgentJvm.app(jdk, TestArtifacts.appJar(APP)).timeout(Duration.ofSeconds(90))
          .args(simulator.baseUrl()).run();
      plainRuns.put(jdk, run);
      return run;
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("dev.llmotel.it.OwnExportNotTracedTest#runs") // every JDK with each export sender
  void spansArriveOverTlsAndTheExportIsNotTraced(Jdk jdk, String sender) throws Exception {
    Path agentJar = TestArtifacts.agentJar().orElse(null);
    Assumptions.assumeTrue(agentJar != null, TestArtifacts.agentMissing());
    JvmRun plain = plain(jdk);
    List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicInteger exports = new AtomicInteger();
    HttpsServer sink = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.setHttpsConfigurator(new HttpsConfigurator(sinkCert.serverContext()));
    sink.createContext("/", x -> {
      try (x; InputStream in = x.getRequestBody()) {
        byte[] body = in.readAllBytes();
        if (!x.getRequestURI().getPath().equals("/sink/v1/chat/completions")) {
          problems.add("unexpected path " + x.getRequestURI());
          x.sendResponseHeaders(404, -1);
          return;
        }
        exports.incrementAndGet();
        for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span s : ss.getSpansList()) spans.add(new ReceivedSpan(rs.getResource(), ss.getScope(), s));
          }
        }
        byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        x.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        x.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) x.getResponseBody().write(answer);
      } catch (RuntimeException e) {
        problems.add("undecodable export: " + e);
      }
    });
    sink.start();
    int sinkPort = sink.getAddress().getPort();
    String sinkUrl = "https://127.0.0.1:" + sinkPort;
    JvmRun run;
    int simulatorPort;
    try (LlmSimulator simulator = LlmSimulator.start()) {
      simulatorPort = simulator.port();
      run = OwnExportNotTracedTest.exportingTo(jdk, agentJar, sinkUrl, "it-export-over-tls", sender)
          .env("OTEL_EXPORTER_OTLP_CERTIFICATE", pki.caPem.toString())
          .args(simulator.baseUrl())
          .run();
    } finally {
      sink.stop(0);
    }
    Map<String, Long> exported = spans.stream()
        .collect(Collectors.groupingBy(ReceivedSpan::name, TreeMap::new, Collectors.counting()));
    List<String> ofTheExport = spans.stream().filter(s -> Long.valueOf(sinkPort).equals(s.attr("server.port")))
        .map(ReceivedSpan::toString).toList();
    List<ReceivedSpan> chats = spans.stream().filter(s -> s.name().equals("chat gpt-4o-mini")).toList();
    assertAll(run.describe(),
        () -> assertEquals(0, plain.exitCode(), plain.describe()),
        () -> assertEquals(0, run.exitCode()),
        () -> assertEquals(plain.stdout(), run.stdout(), "the app's output is unchanged by the agent"),
        () -> assertEquals(new TreeMap<>(EXPECTED), exported, "exactly the app's spans arrived, decoded"),
        () -> assertEquals(List.of(), ofTheExport, "no span of the agent's own HTTPS export"),
        () -> assertTrue(exports.get() >= 5, exports.get() + " export requests over TLS (one span per batch)"),
        () -> assertEquals(List.of(), problems),
        () -> assertFalse(run.stderr().contains("Failed to export"), "no export failure logged"),
        () -> assertFalse(chats.isEmpty()),
        () -> chats.forEach(s -> assertAll(s.toString(),
            () -> assertEquals("openai", s.attr("gen_ai.provider.name")),
            () -> assertEquals("chat", s.attr("gen_ai.operation.name")),
            () -> assertEquals((long) simulatorPort, s.attr("server.port")),
            () -> assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, s.kind()),
            () -> assertEquals("it-export-over-tls", s.serviceName()))));
  }
}
